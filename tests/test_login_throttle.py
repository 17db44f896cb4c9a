"""Login throttling (django-axes, units/lockout.py) and the password reset by email.

5 wrong passwords for one username, or 20 failed logins from one address, pause
logins for 15 minutes after the last failure, on the site's login page and on the
admin's, with the form and a message saying until when. Officers unlock; a
password reset by email unlocks the account too."""

import datetime as dt
import re
import zoneinfo

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

from units.models import AccountUnlock

from .factories import UserFactory, password_for_tests

pytestmark = pytest.mark.django_db

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=HANOI)
ACCOUNT_LOCKED = "Đã nhập sai mật khẩu quá nhiều lần cho tên đăng nhập này"
ADDRESS_LOCKED = "Có quá nhiều lần đăng nhập không thành công từ địa chỉ mạng của bạn"
WRONG_PASSWORD = "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác."


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def log_in(client, username, password, address="127.0.0.1", url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def lock(client, username, address="127.0.0.1", times=5):
    for _ in range(times):
        response = log_in(client, username, "wrong", address)
    return response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_four_wrong_passwords_only_say_the_password_is_wrong(client, head_a, clock):
    responses = [log_in(client, "head_a", "wrong") for _ in range(4)]

    assert [r.status_code for r in responses] == [200] * 4
    assert WRONG_PASSWORD in errors(responses[-1])[0]
    assert AccessAttempt.objects.get(username="head_a").failures_since_start == 4


def test_fifth_wrong_password_locks_the_account_with_the_form_and_a_message(client, head_a, clock):
    response = lock(client, "head_a")

    assert response.status_code == 429
    assert response.templates[0].name == "registration/login.html"
    [message] = errors(response)
    assert message.startswith(ACCOUNT_LOCKED)
    assert "đến 09:15 (15 phút sau lần thử sai cuối cùng)" in message
    assert "đặt lại mật khẩu qua email" in message
    html = response.content.decode()
    assert 'name="username" value="head_a"' in html
    assert '<div class="alert alert--error" role="alert">' in html
    assert reverse("password_reset") in html


def test_right_password_after_the_lockout_is_refused_from_any_address(client, head_a, clock):
    lock(client, "head_a")
    clock.shift(dt.timedelta(minutes=5))

    here = log_in(client, "head_a", password_for_tests())
    elsewhere = log_in(client, "head_a", password_for_tests(), address="203.0.113.9")

    for response in (here, elsewhere):
        assert response.status_code == 429
        # The time does not move with refused attempts: still 15 minutes after the 5th.
        assert "đến 09:15" in errors(response)[0]
    assert not signed_in(client)
    assert AccessAttempt.objects.filter(username="head_a").count() == 1


def test_lockout_lifts_by_itself_after_the_cool_off(client, head_a, clock):
    lock(client, "head_a")

    clock.shift(dt.timedelta(minutes=14, seconds=59))
    still_locked = log_in(client, "head_a", password_for_tests())
    clock.shift(dt.timedelta(seconds=2))
    after = log_in(client, "head_a", password_for_tests())

    assert still_locked.status_code == 429
    assert after.status_code == 302
    assert client.session["_auth_user_id"] == str(head_a.pk)


def test_a_successful_login_forgets_that_usernames_failures(client, head_a, clock):
    lock(client, "head_a", times=4)

    response = log_in(client, "head_a", password_for_tests())
    client.logout()
    again = lock(client, "head_a", times=4)

    assert response.status_code == 302
    assert again.status_code == 200
    assert AccessAttempt.objects.get(username="head_a").failures_since_start == 4


def test_unknown_username_is_locked_the_same_way(client, clock):
    response = lock(client, "nobody-has-this")

    assert response.status_code == 429
    assert errors(response)[0].startswith(ACCOUNT_LOCKED)


def test_twenty_failures_from_one_address_across_usernames_lock_the_address(client, head_a, clock):
    responses = [log_in(client, f"guess{n}", "wrong", address="198.51.100.7") for n in range(20)]

    same_address = log_in(client, "head_a", password_for_tests(), address="198.51.100.7")
    other_address = log_in(client, "head_a", password_for_tests(), address="198.51.100.8")

    assert [r.status_code for r in responses[:19]] == [200] * 19
    assert responses[19].status_code == 429
    assert errors(responses[19])[0].startswith(ADDRESS_LOCKED)
    assert same_address.status_code == 429
    assert errors(same_address)[0].startswith(ADDRESS_LOCKED)
    assert other_address.status_code == 302


def test_a_successful_login_does_not_clear_the_addresss_failures(client, head_a, clock):
    for n in range(19):
        log_in(client, f"guess{n}", "wrong")

    log_in(client, "head_a", password_for_tests())
    client.logout()
    response = log_in(client, "guess-again", "wrong")

    assert response.status_code == 429
    assert errors(response)[0].startswith(ADDRESS_LOCKED)


def test_the_limits_and_the_cool_off_are_settings(client, head_a, clock, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)

    response = lock(client, "head_a", times=2)

    assert response.status_code == 429
    assert "đến 09:30 (30 phút sau lần thử sai cuối cùng)" in errors(response)[0]


def test_admin_login_is_locked_out_with_the_admin_form_and_the_message(client, admin_user, clock):
    url = reverse("admin:login")
    responses = [log_in(client, "admin", "wrong", url=url) for _ in range(5)]

    right = log_in(client, "admin", password_for_tests(), url=url)

    assert [r.status_code for r in responses] == [200] * 4 + [429]
    for response in (responses[-1], right):
        assert response.status_code == 429
        assert "admin/login.html" in [t.name for t in response.templates]
        assert errors(response)[0].startswith(ACCOUNT_LOCKED)
        assert ACCOUNT_LOCKED in response.content.decode()
    assert not signed_in(client)
    assert f'href="{reverse("admin_password_reset")}"' in right.content.decode()


def test_failures_on_the_admin_and_the_site_login_add_up(client, admin_user, clock):
    for _ in range(3):
        log_in(client, "admin", "wrong", url=reverse("admin:login"))

    response = lock(client, "admin", times=2)

    assert response.status_code == 429


@pytest.mark.parametrize("url", [reverse("login"), reverse("admin:login")])
def test_a_nul_byte_in_the_username_gets_a_message_and_counts_nothing(client, url):
    response = log_in(client, "head\x00a", "wrong", url=url)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["username"]
    assert AccessAttempt.objects.count() == 0


def test_forced_logins_in_tests_are_not_counted(client, head_a, clock):
    for _ in range(30):
        client.force_login(head_a)

    assert AccessAttempt.objects.count() == 0


# The officers' page ----------------------------------------------------------


def test_officer_sees_the_locked_username_and_address(client, client_for, head_a, officer, clock):
    lock(client, "head_a", address="198.51.100.1")
    for n in range(20):
        log_in(client, f"guess{n}", "wrong", address="198.51.100.7")

    response = client_for(officer).get(reverse("units:locked_accounts"))

    assert response.status_code == 200
    usernames = response.context["usernames"]
    assert [(e.key, e.failures, e.full_name) for e in usernames] == [
        ("head_a", 5, head_a.full_name)
    ]
    assert usernames[0].until == START + dt.timedelta(minutes=15)
    assert [(e.key, e.failures) for e in response.context["addresses"]] == [("198.51.100.7", 20)]
    html = response.content.decode()
    assert '<input type="hidden" name="username" value="head_a">' in html
    assert '<input type="hidden" name="ip_address" value="198.51.100.7">' in html
    assert "02/03/2026 09:15" in html


def test_officer_unlocks_an_account_and_its_owner_can_log_in(
    client, client_for, head_a, officer, clock
):
    lock(client, "head_a")
    clock.shift(dt.timedelta(minutes=2))
    officer_client = client_for(officer)

    response = officer_client.post(reverse("units:unlock_account"), {"username": "head_a"})
    page = officer_client.get(reverse("units:locked_accounts"))
    officer_client.logout()
    login = log_in(client, "head_a", password_for_tests())

    assert response.status_code == 302
    assert response["Location"] == reverse("units:locked_accounts")
    assert AccessAttempt.objects.filter(username="head_a").count() == 0
    unlock = AccountUnlock.objects.get()
    assert (unlock.username, unlock.ip_address, unlock.failures) == ("head_a", None, 5)
    assert unlock.unlocked_by == officer
    assert unlock.unlocked_at == START + dt.timedelta(minutes=2)
    assert page.context["usernames"] == []
    assert list(page.context["recent_unlocks"]) == [unlock]
    assert "head_a đã được mở khóa" in [str(m) for m in page.context["messages"]][0]
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(head_a.pk)


def test_officer_unlocks_an_address(client, client_for, head_a, officer, clock):
    for n in range(20):
        log_in(client, f"guess{n}", "wrong", address="198.51.100.7")

    client_for(officer).post(reverse("units:unlock_account"), {"ip_address": "198.51.100.7"})
    client.logout()
    login = log_in(client, "head_a", password_for_tests(), address="198.51.100.7")

    assert AccessAttempt.objects.count() == 0
    unlock = AccountUnlock.objects.get()
    assert (unlock.username, unlock.ip_address, unlock.failures) == ("", "198.51.100.7", 20)
    assert login.status_code == 302


def test_unlocking_twice_records_one_unlock(client, client_for, head_a, officer, clock):
    lock(client, "head_a")
    officer_client = client_for(officer)

    officer_client.post(reverse("units:unlock_account"), {"username": "head_a"})
    second = officer_client.post(
        reverse("units:unlock_account"), {"username": "head_a"}, follow=True
    )

    assert AccountUnlock.objects.count() == 1
    assert [str(m) for m in second.context["messages"]][-1] == (
        "head_a không bị khóa (hoặc không còn bị khóa)."
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"username": "a", "ip_address": "10.0.0.1"}, {"ip_address": "x"}, {"username": "a\x00b"}],
)
def test_bad_unlock_requests_get_a_message_and_change_nothing(
    client, client_for, head_a, officer, clock, data
):
    lock(client, "head_a")

    response = client_for(officer).post(reverse("units:unlock_account"), data, follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert AccessAttempt.objects.filter(username="head_a").exists()
    assert AccountUnlock.objects.count() == 0


@pytest.mark.parametrize("who", ["head_a", "head_b", "block_head", "council", "leader"])
def test_only_officers_and_admins_may_see_or_unlock(client, client_for, cast, who, clock):
    # Not a username of the cast: a login of its own (force_login) would clear it.
    lock(client, "someone")
    other = client_for(cast[who])

    page = other.get(reverse("units:locked_accounts"))
    unlock = other.post(reverse("units:unlock_account"), {"username": "someone"})

    assert page.status_code == 403
    assert unlock.status_code == 403
    assert AccessAttempt.objects.filter(username="someone").exists()
    assert AccountUnlock.objects.count() == 0


def test_admin_may_unlock(client, client_for, head_a, admin_user, clock):
    lock(client, "head_a")

    response = client_for(admin_user).post(reverse("units:unlock_account"), {"username": "head_a"})

    assert response.status_code == 302
    assert AccountUnlock.objects.get().unlocked_by == admin_user


def test_anonymous_visitor_is_sent_to_login(client, clock):
    page = client.get(reverse("units:locked_accounts"))
    unlock = client.post(reverse("units:unlock_account"), {"username": "x"})

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))
    assert unlock.status_code == 302


def test_unlock_by_get_is_refused(client_for, officer):
    response = client_for(officer).get(reverse("units:unlock_account"))

    assert response.status_code == 405


def test_the_nav_links_the_page_for_officers_only(client_for, officer, head_a):
    officer_html = client_for(officer).get(reverse("home")).content.decode()
    head_html = client_for(head_a).get(reverse("home")).content.decode()

    link = f'href="{reverse("units:locked_accounts")}"'
    assert link in officer_html
    assert link not in head_html


@pytest.mark.parametrize("locked", [1, 3])
def test_locked_accounts_page_query_count(
    client, client_for, officer, clock, locked, django_assert_num_queries
):
    for n in range(locked):
        UserFactory(username=f"person{n}")
        lock(client, f"person{n}", address=f"198.51.100.{n}")
        for k in range(20):
            log_in(client, f"guess{n}-{k}", "wrong", address=f"203.0.113.{n}")
        AccountUnlock.objects.create(username=f"old{n}", failures=5, unlocked_by=officer)
    officer_client = client_for(officer)

    # session, user, locked usernames, their accounts, locked addresses, latest unlocks
    with django_assert_num_queries(6):
        response = officer_client.get(reverse("units:locked_accounts"))

    assert len(response.context["usernames"]) == locked
    assert len(response.context["addresses"]) == locked
    assert len(response.context["recent_unlocks"]) == locked


# The client address behind a proxy ------------------------------------------


def _request(remote_addr: str, forwarded_for: str | None = None) -> HttpRequest:
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = remote_addr
    if forwarded_for is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return request


def test_without_a_proxy_the_forwarded_header_is_ignored():
    from axes.helpers import get_client_ip_address

    address = get_client_ip_address(_request("198.51.100.4", forwarded_for="203.0.113.66"))

    assert address == "198.51.100.4"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # nginx in front: it appends the client it sees.
        (1, "10.0.0.2", "198.51.100.4", "198.51.100.4"),
        # A client-sent header in front of what nginx appended: not trusted, the
        # request counts as coming from the proxy itself.
        (1, "10.0.0.2", "203.0.113.66, 198.51.100.4", "10.0.0.2"),
        # Load balancer, then nginx.
        (2, "10.0.0.2", "198.51.100.4, 10.0.0.1", "198.51.100.4"),
        # No header (a request from the proxy host itself).
        (1, "10.0.0.2", None, "10.0.0.2"),
    ],
)
def test_behind_proxies_the_client_is_read_from_the_right_of_the_chain(
    settings, proxies, remote, forwarded, expected
):
    from axes.helpers import get_client_ip_address

    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = proxies - 1

    assert get_client_ip_address(_request(remote, forwarded)) == expected


# Password reset --------------------------------------------------------------


def _reset_link(message) -> str:
    [link] = re.findall(r"https://thidua\.example\.gov\.vn(/accounts/reset/\S+/)", message.body)
    return link


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://thidua.example.gov.vn"
    settings.SITE_NAME = "Thi đua"


def test_login_page_links_the_password_reset(client):
    html = client.get(reverse("login")).content.decode()

    assert f'<a href="{reverse("password_reset")}">Quên mật khẩu?</a>' in html


def test_password_reset_sends_one_vietnamese_email_with_the_site_url(client, head_a, site_url):
    response = client.post(reverse("password_reset"), {"email": head_a.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == [head_a.email]
    assert message.subject == "[Thi đua] Đặt lại mật khẩu"
    assert f"Xin chào {head_a.full_name}," in message.body
    assert "“head_a”" in message.body
    assert "testserver" not in message.body
    assert _reset_link(message).startswith("/accounts/reset/")


def test_password_reset_email_is_vietnamese_even_from_the_english_page(client, head_a, site_url):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})

    client.post(reverse("password_reset"), {"email": head_a.email})

    [message] = mail.outbox
    assert message.subject == "[Thi đua] Đặt lại mật khẩu"


def test_reset_link_sets_the_new_password_once(client, head_a, site_url):
    client.post(reverse("password_reset"), {"email": head_a.email})
    link = _reset_link(mail.outbox[0])

    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"}
    )
    reused = client.get(link, follow=True)
    login = log_in(client, "head_a", "Mat-khau-moi-2026")

    assert form_page.templates[0].name == "registration/password_reset_confirm.html"
    assert form_page.context["validlink"] is True
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    head_a.refresh_from_db()
    assert head_a.check_password("Mat-khau-moi-2026")
    assert reused.context["validlink"] is False
    assert "Liên kết đặt lại mật khẩu đã được dùng" in reused.content.decode()
    assert login.status_code == 302


def _without_tokens(response) -> str:
    """The page without its per-response CSRF token and CSP nonce."""
    return re.sub(r'(value|nonce)="[^"]*"', "", response.content.decode())


def test_unknown_email_sends_nothing_and_shows_the_same_page(client, head_a, site_url):
    known = client.post(reverse("password_reset"), {"email": head_a.email}, follow=True)
    mail.outbox.clear()

    unknown = client.post(reverse("password_reset"), {"email": "ai-do@example.vn"}, follow=True)

    assert mail.outbox == []
    assert unknown.redirect_chain == known.redirect_chain
    assert _without_tokens(unknown) == _without_tokens(known)
    assert 'data-testid="reset-sent"' in unknown.content.decode()


def test_reset_by_email_lifts_the_accounts_lockout(client, head_a, site_url, clock):
    lock(client, "head_a")
    client.post(reverse("password_reset"), {"email": head_a.email})
    link = _reset_link(mail.outbox[0])
    set_url = client.get(link, follow=True).redirect_chain[-1][0]

    client.post(
        set_url, {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"}
    )
    login = log_in(client, "head_a", "Mat-khau-moi-2026")

    assert login.status_code == 302
    unlock = AccountUnlock.objects.get()
    assert (unlock.username, unlock.by_password_reset, unlock.unlocked_by) == (
        "head_a",
        True,
        head_a,
    )


@pytest.mark.parametrize(
    ("email", "shown"),
    [
        ("head\x00a@example.vn", 'value="head'),
        ("x" * 250 + "@example.vn", 'value="' + "x" * 250 + '@example.vn"'),
        ("not-an-email", 'value="not-an-email"'),
    ],
)
def test_a_bad_email_gets_a_message_and_sends_nothing(client, head_a, email, shown):
    response = client.post(reverse("password_reset"), {"email": email})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert shown in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("password_reset", "registration/password_reset_form.html"),
        ("password_reset_done", "registration/password_reset_done.html"),
        ("password_reset_complete", "registration/password_reset_complete.html"),
    ],
)
def test_password_reset_pages_query_count(client, name, template, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse(name))

    assert response.status_code == 200
    assert response.templates[0].name == template


def test_client_login_in_tests_works_and_http_logins_are_still_counted(client, head_a):
    assert client.login(username="head_a", password=password_for_tests()) is True
    client.logout()

    response = lock(client, "head_a")

    assert response.status_code == 429
