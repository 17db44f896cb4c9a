"""Signing in and out, the password change, the language switch, and the rule that
every page sends an anonymous visitor to the login page."""

import pytest
from django.urls import reverse

from units.enums import Role

from .factories import CampaignFactory, MembershipFactory, UnitFactory, password_for_tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_urls():
    campaign = CampaignFactory()
    unit = UnitFactory()
    return {
        "home": reverse("home"),
        "campaigns:list": reverse("campaigns:list"),
        "campaigns:detail": reverse("campaigns:detail", kwargs={"pk": campaign.pk}),
        "units:list": reverse("units:list"),
        "units:detail": reverse("units:detail", kwargs={"pk": unit.pk}),
        "password_change": reverse("password_change"),
        "password_change_done": reverse("password_change_done"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "campaigns:list",
        "campaigns:detail",
        "units:list",
        "units:detail",
        "password_change",
        "password_change_done",
    ],
)
def test_anonymous_is_sent_to_login_with_next(client, page_urls, name):
    url = page_urls[name]

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_login_page_is_public(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert response.templates[0].name == "registration/login.html"


def test_login_signs_in_and_goes_home(client, head_a):
    response = client.post(
        reverse("login"), {"username": "head_a", "password": password_for_tests()}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(head_a.pk)


def test_login_follows_next(client, head_a, unit_a):
    target = reverse("units:detail", kwargs={"pk": unit_a.pk})

    response = client.post(
        f"{reverse('login')}?next={target}",
        {"username": "head_a", "password": password_for_tests(), "next": target},
    )

    assert response.status_code == 302
    assert response["Location"] == target


def test_login_with_wrong_password_keeps_username_and_says_why(client, head_a):
    response = client.post(reverse("login"), {"username": "head_a", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"]["username"].value() == "head_a"
    assert response.context["form"].non_field_errors() == [
        "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác. "
        "Chú ý rằng cả hai khung thông tin đều phân biệt chữ hoa và chữ thường."
    ]
    html = response.content.decode()
    assert 'name="username" value="head_a"' in html
    assert '<div class="alert alert--error" role="alert">' in html
    assert "_auth_user_id" not in client.session


def test_logout_by_post_signs_out(client_for, head_a):
    client = client_for(head_a)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_logout_by_get_is_refused(client_for, head_a):
    client = client_for(head_a)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(head_a.pk)


def test_password_change_sets_the_new_password(client_for, head_a):
    client = client_for(head_a)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": password_for_tests(),
            "new_password1": "Mat-khau-moi-2024",
            "new_password2": "Mat-khau-moi-2024",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    head_a.refresh_from_db()
    assert head_a.check_password("Mat-khau-moi-2024") is True
    assert client.session["_auth_user_id"] == str(head_a.pk)


def test_password_change_with_wrong_old_password_shows_the_error(client_for, head_a):
    client = client_for(head_a)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "Mat-khau-moi-2024",
            "new_password2": "Mat-khau-moi-2024",
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["old_password"]
    head_a.refresh_from_db()
    assert head_a.check_password(password_for_tests()) is True


def test_pages_are_vietnamese_by_default(client_for, head_a):
    response = client_for(head_a).get(reverse("home"))

    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert 'aria-current="page">Trang chủ</a>' in html


def test_language_switch_to_english_changes_lang_and_strings(client_for, head_a):
    client = client_for(head_a)

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    page = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert 'aria-current="page">Home</a>' in html
    assert "Trang chủ" not in html


def test_language_switch_works_before_login(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})

    page = client.get(reverse("login"))

    assert '<html lang="en">' in page.content.decode()
    assert page.context["form"]["username"].label == "Username"


def test_header_shows_name_and_a_post_logout_form(client_for, unit_a):
    user = MembershipFactory(unit=unit_a, role=Role.HEAD, user__full_name="Lê Thị Hoa").user

    html = client_for(user).get(reverse("home")).content.decode()

    assert '<span class="user-name">Lê Thị Hoa</span>' in html
    assert f'<form action="{reverse("logout")}" method="post">' in html


@pytest.mark.django_db
def test_interface_is_vietnamese_whatever_the_browser_asks(client, head_a):
    client.force_login(head_a)

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.headers["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.text


@pytest.mark.parametrize(
    ("name", "signed_in", "template", "queries"),
    [
        # nothing: the form is empty and the visitor anonymous
        ("login", False, "registration/login.html", 0),
        # session, user
        ("password_change", True, "registration/password_change_form.html", 2),
        # session, user
        ("password_change_done", True, "registration/password_change_done.html", 2),
    ],
)
def test_account_pages_query_count(
    client_for, head_a, name, signed_in, template, queries, django_assert_num_queries
):
    client = client_for(head_a if signed_in else None)

    with django_assert_num_queries(queries):
        response = client.get(reverse(name))

    assert response.status_code == 200
    assert response.templates[0].name == template


def test_htmx_request_after_the_session_ended_gets_401_not_the_login_page(client, db):
    response = client.post("/campaigns/answers/1/", {"narrative": "x"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 401
    assert response.content == b""


def test_plain_request_after_the_session_ended_goes_to_login(client, db):
    response = client.post("/campaigns/answers/1/", {"narrative": "x"})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
