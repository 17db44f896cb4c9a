"""After a copy to a new year: the texts still naming the old year, and their fix."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns.enums import Subject
from campaigns.models import Campaign, Content, Criterion, Task
from campaigns.movement.year_texts import replace_year_in_texts, texts_naming_year

from ..factories import (
    CampaignFactory,
    ContentFactory,
    CriterionFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def copy():
    """A 2025 movement whose copied texts still say 2024 (and some that do not)."""
    campaign = CampaignFactory(
        name="Phong trào thi đua năm 2025",
        year=2025,
        description="Phát động phong trào thi đua năm 2024 trong toàn ngành.",
    )
    ContentFactory(campaign=campaign, number=1, title="Nội dung 1", text="Hoàn thành kế hoạch 2024")
    TaskFactory(campaign=campaign, number=1, title="Nhiệm vụ năm 2024")
    CriterionFactory(
        campaign=campaign,
        code="1",
        text="Hoàn thành chỉ tiêu năm 2024",
        guidance="Báo cáo tổng kết năm 2024, Quyết định 20241/QĐ",
    )
    CriterionFactory(campaign=campaign, code="2", text="Văn bản 12024 không đổi")
    CriterionFactory(
        campaign=campaign, code="1", subject=Subject.LEADER, text="Lãnh đạo đơn vị năm 2024"
    )
    return campaign


def _keys(texts):
    return [(t.label, t.field_label, t.new) for t in texts]


def test_texts_naming_year_lists_each_copied_text_with_the_proposed_one(copy, english):
    texts = texts_naming_year(copy, 2024)

    assert _keys(texts) == [
        ("The movement", "description", "Phát động phong trào thi đua năm 2025 trong toàn ngành."),
        ("Content 1", "text", "Hoàn thành kế hoạch 2025"),
        ("Task 1", "title", "Nhiệm vụ năm 2025"),
        ("Criterion 1 (Collective)", "criterion", "Hoàn thành chỉ tiêu năm 2025"),
        ("Criterion 1 (Collective)", "guidance", "Báo cáo tổng kết năm 2025, Quyết định 20241/QĐ"),
        ("Criterion 1 (Unit leader)", "criterion", "Lãnh đạo đơn vị năm 2025"),
    ]
    assert texts[0].old == "Phát động phong trào thi đua năm 2024 trong toàn ngành."


def test_texts_naming_year_finds_nothing_for_a_year_no_text_names(copy):
    assert texts_naming_year(copy, 2019) == []


def test_replace_year_in_texts_changes_only_the_chosen_texts(copy):
    texts = texts_naming_year(copy, 2024)
    chosen = {texts[0].key, texts[4].key}

    changed = replace_year_in_texts(copy, 2024, keys=chosen)

    copy.refresh_from_db()
    leader = Criterion.objects.get(campaign=copy, subject=Subject.LEADER)
    one = Criterion.objects.get(campaign=copy, subject=Subject.COLLECTIVE, code="1")
    assert changed == 2
    assert copy.description == "Phát động phong trào thi đua năm 2025 trong toàn ngành."
    assert (one.text, one.guidance) == (
        "Hoàn thành chỉ tiêu năm 2024",
        "Báo cáo tổng kết năm 2025, Quyết định 20241/QĐ",
    )
    assert leader.text == "Lãnh đạo đơn vị năm 2024"
    assert [t.key for t in texts_naming_year(copy, 2024)] == [
        t.key for t in texts if t.key not in chosen
    ]


def test_replace_year_in_texts_leaves_another_movements_texts_alone(copy):
    other = CriterionFactory(text="Năm 2024")

    changed = replace_year_in_texts(copy, 2024, keys={f"criterion:{other.pk}:text"})

    other.refresh_from_db()
    assert (changed, other.text) == (0, "Năm 2024")


# The admin page.


@pytest.fixture
def admin_en(client, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(campaign, year=2024):
    return reverse("admin:campaigns_campaign_year_texts", args=[campaign.pk, year])


def test_year_texts_page_shows_old_and_proposed_texts_and_writes_nothing(admin_en, copy):
    response = admin_en.get(_url(copy))

    html = response.content.decode()
    assert [t.key for t in response.context["texts"]] == [
        t.key for t in texts_naming_year(copy, 2024)
    ]
    assert "Hoàn thành chỉ tiêu năm 2024" in html
    assert "Hoàn thành chỉ tiêu năm 2025" in html
    assert html.count('type="checkbox" name="key"') == 6
    assert Criterion.objects.filter(campaign=copy, text__contains="2025").count() == 0


def test_year_texts_page_replaces_the_ticked_texts_on_confirm(admin_en, copy):
    keys = [t.key for t in texts_naming_year(copy, 2024)]

    response = admin_en.post(_url(copy), {"key": keys[1:3]}, follow=True)

    assert response.redirect_chain == [
        (reverse("admin:campaigns_campaign_change", args=[copy.pk]), 302)
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "2 texts now name 2025 instead of 2024."
    ]
    assert (Content.objects.get(campaign=copy).text, Task.objects.get(campaign=copy).title) == (
        "Hoàn thành kế hoạch 2025",
        "Nhiệm vụ năm 2025",
    )
    assert Campaign.objects.get(pk=copy.pk).description.endswith("năm 2024 trong toàn ngành.")


def test_year_texts_page_refuses_a_staff_member_who_may_only_view(client, copy):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_campaign"))
    client.force_login(viewer)
    keys = [t.key for t in texts_naming_year(copy, 2024)]

    responses = [client.get(_url(copy)).status_code, client.post(_url(copy), {"key": keys})]

    assert [responses[0], responses[1].status_code] == [403, 403]
    assert texts_naming_year(copy, 2024) != []


def test_year_texts_page_answers_404_for_an_unknown_movement(admin_en):
    response = admin_en.get(reverse("admin:campaigns_campaign_year_texts", args=[999999, 2024]))

    assert response.status_code == 404


@pytest.mark.parametrize("item_count", [1, 3])
def test_year_texts_page_query_count_does_not_grow(admin_en, django_assert_num_queries, item_count):
    campaign = CampaignFactory(year=2025, description="Năm 2024")
    for number in range(item_count):
        ContentFactory(campaign=campaign, text=f"Năm 2024 ({number})")
        TaskFactory(campaign=campaign, title=f"Năm 2024 ({number})")
        CriterionFactory(campaign=campaign, guidance="Năm 2024")

    # Session and user, the movement (view), then the movement, contents, tasks and
    # criteria (the texts).
    with django_assert_num_queries(7):
        response = admin_en.get(_url(campaign))

    assert len(response.context["texts"]) == 1 + 3 * item_count


def test_copy_action_opens_the_texts_that_name_the_old_year(admin_en, ministry):
    campaign = CampaignFactory(
        name="Thi đua 2024", year=2024, organizer=ministry, description="Kế hoạch năm 2024"
    )

    response = admin_en.post(
        reverse("admin:campaigns_campaign_changelist"),
        {
            "action": "copy_to_new_year",
            "_selected_action": [campaign.pk],
            "year": "2025",
            "confirm": "yes",
        },
    )

    made = Campaign.objects.get(year=2025)
    assert response.url == _url(made, 2024)
    assert [t.new for t in texts_naming_year(made, 2024)] == ["Kế hoạch năm 2025"]
