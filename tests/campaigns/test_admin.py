import re
from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.enums import CampaignStatus, Subject
from campaigns.models import Answer, Campaign, Criterion, Submission, Transition
from units.models import EmulationGroup

from ..factories import (
    CampaignFactory,
    ContentFactory,
    CriterionFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    PeriodFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "campaign",
    "title",
    "criterion",
    "registration",
    "submission",
    "evidence",
    "individualassessment",
    "reminder",
]
READ_ONLY = {"evidence"}


@pytest.fixture
def admin_client_en(client, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("model", MODELS)
def test_change_list_answers_the_superuser(admin_client_en, model):
    CampaignFactory()

    response = admin_client_en.get(reverse(f"admin:campaigns_{model}_changelist"))

    assert (response.status_code, response.context["cl"].opts.model_name) == (200, model)


@pytest.mark.parametrize("model", sorted(set(MODELS) - READ_ONLY))
def test_add_page_answers_the_superuser(admin_client_en, model):
    response = admin_client_en.get(reverse(f"admin:campaigns_{model}_add"))

    assert (response.status_code, response.context["add"]) == (200, True)


def test_evidence_cannot_be_added_in_the_admin(admin_client_en):
    response = admin_client_en.get(reverse("admin:campaigns_evidence_add"))

    assert response.status_code == 403


def test_site_header_is_translatable(admin_client_en):
    response = admin_client_en.get(reverse("admin:index"))

    assert response.context["site_header"] == "Thi đua administration"


# The criteria tree.


def _tree(campaign):
    """Created out of order on purpose: 2, 1 > (1.2, 1.1 > 1.1.1), and individual 1."""
    CriterionFactory(campaign=campaign, code="2", order=2, text="Hai")
    one = CriterionFactory(campaign=campaign, code="1", order=1, text="Một")
    CriterionFactory(campaign=campaign, code="1.2", parent=one, order=2, text="Một hai")
    one_one = CriterionFactory(campaign=campaign, code="1.1", parent=one, order=1, text="Một một")
    CriterionFactory(campaign=campaign, code="1.1.1", parent=one_one, order=0, text="Sâu")
    CriterionFactory(campaign=campaign, code="1", subject=Subject.INDIVIDUAL, order=0, text="Cá")


def _rows(response):
    return [(c.subject, c.code, c.tree_depth) for c in response.context["cl"].result_list]


def test_criteria_change_list_shows_the_tree_in_pre_order(admin_client_en):
    campaign = CampaignFactory()
    _tree(campaign)

    response = admin_client_en.get(reverse("admin:campaigns_criterion_changelist"))

    assert _rows(response) == [
        (Subject.COLLECTIVE, "1", 0),
        (Subject.COLLECTIVE, "1.1", 1),
        (Subject.COLLECTIVE, "1.1.1", 2),
        (Subject.COLLECTIVE, "1.2", 1),
        (Subject.COLLECTIVE, "2", 0),
        (Subject.INDIVIDUAL, "1", 0),
    ]
    content = response.content.decode()
    assert re.findall(r'<span class="criterion-depth-(\d)">([\d.]+)</span>', content) == [
        ("0", "1"),
        ("1", "1.1"),
        ("2", "1.1.1"),
        ("1", "1.2"),
        ("0", "2"),
        ("0", "1"),
    ]


def test_criteria_change_list_filters_by_campaign_and_subject(admin_client_en):
    campaign, other = CampaignFactory(), CampaignFactory()
    _tree(campaign)
    _tree(other)

    response = admin_client_en.get(
        reverse("admin:campaigns_criterion_changelist"),
        {"campaign__id__exact": campaign.pk, "subject__exact": Subject.COLLECTIVE},
    )

    assert [row[1] for row in _rows(response)] == ["1", "1.1", "1.1.1", "1.2", "2"]
    assert {c.campaign_id for c in response.context["cl"].result_list} == {campaign.pk}


@pytest.mark.parametrize("item_count", [1, 3])
def test_criteria_change_list_query_count_does_not_grow(
    admin_client_en, django_assert_num_queries, item_count
):
    campaign = CampaignFactory()
    content = ContentFactory(campaign=campaign)
    section = CriterionFactory(campaign=campaign, code="1", content=content)
    for number in range(item_count):
        CriterionFactory(campaign=campaign, code=f"1.{number}", parent=section, content=content)
    url = reverse("admin:campaigns_criterion_changelist")

    # session, user, campaigns (filter), filtered count, total count, criteria page with
    # campaign/content/parent, and the same page for the list_editable formset
    with django_assert_num_queries(7):
        response = admin_client_en.get(url)

    assert len(response.context["cl"].result_list) == item_count + 1


def test_criteria_order_is_editable_in_the_list(admin_client_en):
    campaign = CampaignFactory()
    first = CriterionFactory(campaign=campaign, code="1", order=1)
    second = CriterionFactory(campaign=campaign, code="2", order=2)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": first.pk,
        "form-0-order": "5",
        "form-1-id": second.pk,
        "form-1-order": "2",
        "_save": "Save",
    }

    admin_client_en.post(reverse("admin:campaigns_criterion_changelist"), data)

    assert list(Criterion.objects.order_by("order").values_list("code", flat=True)) == ["2", "1"]


def test_move_up_swaps_order_with_the_previous_sibling(admin_client_en):
    campaign = CampaignFactory()
    section = CriterionFactory(campaign=campaign, code="1", order=0)
    first = CriterionFactory(campaign=campaign, code="1.1", parent=section, order=10)
    second = CriterionFactory(campaign=campaign, code="1.2", parent=section, order=20)
    CriterionFactory(campaign=campaign, code="2", order=15)  # not a sibling

    response = admin_client_en.post(
        reverse("admin:campaigns_criterion_move", args=[second.pk, "up"])
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, second.order) == (20, 10)


def test_move_down_numbers_siblings_that_share_an_order(admin_client_en):
    campaign = CampaignFactory()
    a = CriterionFactory(campaign=campaign, code="1", order=0)
    b = CriterionFactory(campaign=campaign, code="2", order=0)
    c = CriterionFactory(campaign=campaign, code="3", order=0)

    admin_client_en.post(reverse("admin:campaigns_criterion_move", args=[a.pk, "down"]))

    orders = dict(Criterion.objects.values_list("code", "order"))
    assert orders == {"1": 2, "2": 1, "3": 3}
    assert [x.pk for x in (b, a, c)] == list(
        Criterion.objects.order_by("order").values_list("pk", flat=True)
    )


def test_move_up_of_the_first_sibling_changes_nothing(admin_client_en):
    campaign = CampaignFactory()
    first = CriterionFactory(campaign=campaign, code="1", order=1)
    CriterionFactory(campaign=campaign, code="2", order=2)

    response = admin_client_en.post(
        reverse("admin:campaigns_criterion_move", args=[first.pk, "up"]), follow=True
    )

    assert dict(Criterion.objects.values_list("code", "order")) == {"1": 1, "2": 2}
    assert [str(m) for m in response.context["messages"]] == [
        "It is already at the edge of its section."
    ]


def test_move_refuses_get(admin_client_en):
    criterion = CriterionFactory()

    response = admin_client_en.get(
        reverse("admin:campaigns_criterion_move", args=[criterion.pk, "up"])
    )

    assert response.status_code == 405


def test_move_is_csrf_protected(client, admin_user):
    criterion = CriterionFactory()
    client.handler.enforce_csrf_checks = True
    client.force_login(admin_user)

    response = client.post(reverse("admin:campaigns_criterion_move", args=[criterion.pk, "up"]))

    assert response.status_code == 403


def test_criteria_change_list_has_move_buttons_posting_the_list_form(admin_client_en):
    criterion = CriterionFactory()

    response = admin_client_en.get(reverse("admin:campaigns_criterion_changelist"))

    up = reverse("admin:campaigns_criterion_move", args=[criterion.pk, "up"])
    assert f'formaction="{up}" formmethod="post"' in response.content.decode()


# Copy a campaign to a new year.


def _action(campaign, **extra):
    return {"action": "copy_to_new_year", "_selected_action": [campaign.pk], **extra}


def test_copy_action_shows_a_confirmation_with_the_next_year(admin_client_en, ministry):
    campaign = CampaignFactory(name="Thi đua 2024", year=2024, organizer=ministry)
    ContentFactory(campaign=campaign)
    EmulationGroupFactory(year=2024, code="K1")

    response = admin_client_en.post(
        reverse("admin:campaigns_campaign_changelist"), _action(campaign, index=0)
    )

    assert response.templates[0].name == "admin/campaigns/campaign/copy_confirmation.html"
    assert response.context["form"]["year"].value() == 2025
    plan = response.context["plan"]
    assert (plan.name, plan.contents, plan.groups) == ("Thi đua 2025", 1, ["K1"])
    assert Campaign.objects.count() == 1


def test_copy_action_creates_the_new_campaign_and_opens_it(admin_client_en, ministry, unit_a):
    campaign = CampaignFactory(name="Thi đua 2024", year=2024, organizer=ministry)
    CriterionFactory(campaign=campaign)
    group = EmulationGroupFactory(year=2024, code="K1")
    GroupMembershipFactory(group=group, unit=unit_a)

    response = admin_client_en.post(
        reverse("admin:campaigns_campaign_changelist"),
        _action(campaign, year="2026", confirm="yes"),
        follow=True,
    )

    copy = Campaign.objects.get(year=2026)
    assert response.redirect_chain == [
        (reverse("admin:campaigns_campaign_change", args=[copy.pk]), 302)
    ]
    assert (copy.name, copy.status, copy.criteria.count()) == ("Thi đua 2026", "draft", 1)
    assert [str(m) for m in response.context["messages"]] == [
        "“Thi đua 2026” was created as a draft with 0 participating units, 0 contents, "
        "0 tasks, 1 criteria and 0 periods; 1 blocks and clusters were copied with 1 members."
    ]
    assert EmulationGroup.objects.filter(year=2026).count() == 1


def test_copy_action_refuses_a_duplicate_on_the_form(admin_client_en, ministry):
    campaign = CampaignFactory(name="Thi đua 2024", year=2024, organizer=ministry)
    CampaignFactory(name="Thi đua 2025", year=2025, organizer=ministry, status=CampaignStatus.DRAFT)

    response = admin_client_en.post(
        reverse("admin:campaigns_campaign_changelist"),
        _action(campaign, year="2025", confirm="yes"),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"{ministry} already has the movement “Thi đua 2025” in 2025; nothing was copied."
    ]
    assert Campaign.objects.count() == 2


def test_copy_action_needs_exactly_one_campaign(admin_client_en):
    first, second = CampaignFactory(), CampaignFactory()

    response = admin_client_en.post(
        reverse("admin:campaigns_campaign_changelist"),
        {"action": "copy_to_new_year", "_selected_action": [first.pk, second.pk], "index": 0},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Select exactly one movement to copy."
    ]
    assert Campaign.objects.count() == 2


def test_criteria_import_page_answers_the_superuser(admin_client_en):
    response = admin_client_en.get(reverse("admin:campaigns_criterion_import"))

    assert [str(c.header) for c in response.context["columns"]][:5] == [
        "Movement id",
        "Year",
        "Movement",
        "Subject",
        "Code",
    ]


def test_criteria_export_downloads_the_tree_in_order(admin_client_en):
    campaign = CampaignFactory()
    _tree(campaign)

    response = admin_client_en.get(
        reverse("admin:campaigns_criterion_export"), {"campaign__id__exact": campaign.pk}
    )

    sheet = load_workbook(BytesIO(response.content)).active
    rows = [row[:6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    movement = (campaign.pk, campaign.year, campaign.name)
    assert rows == [
        (*movement, "Collective", "1", None),
        (*movement, "Collective", "1.1", "1"),
        (*movement, "Collective", "1.1.1", "1.1"),
        (*movement, "Collective", "1.2", "1"),
        (*movement, "Collective", "2", None),
        (*movement, "Individual", "1", None),
    ]


def _submission():
    period = PeriodFactory()
    unit = UnitFactory()
    submission = Submission.objects.create(period=period, unit=unit)
    criterion = CriterionFactory(campaign=period.campaign)
    Answer.objects.create(submission=submission, criterion=criterion, self_score=5)
    Transition.objects.create(
        submission=submission, from_state="draft", to_state="submitted", reason="Xong"
    )
    return submission


def test_submission_change_page_shows_answers_and_steps_read_only(admin_client_en):
    submission = _submission()

    response = admin_client_en.get(
        reverse("admin:campaigns_submission_change", args=[submission.pk])
    )

    form = response.context["adminform"].form
    assert ("state" in form.fields, "unit" in form.fields, "period" in form.fields) == (
        False,
        False,
        False,
    )
    inlines = response.context["inline_admin_formsets"]
    assert [len(inline.formset.forms) for inline in inlines] == [1, 1]
    assert [inline.has_add_permission for inline in inlines] == [False, False]


def test_submission_state_cannot_be_changed_in_the_admin(admin_client_en):
    submission = _submission()
    data = {
        "state": "accepted",
        "answers-TOTAL_FORMS": "1",
        "answers-INITIAL_FORMS": "1",
        "transitions-TOTAL_FORMS": "1",
        "transitions-INITIAL_FORMS": "1",
    }

    response = admin_client_en.post(
        reverse("admin:campaigns_submission_change", args=[submission.pk]), data
    )

    # The page only shows it: a saved self-assessment changes under its row lock,
    # through the workflow and the answers, never by writing the form back.
    submission.refresh_from_db()
    assert (response.status_code, submission.state) == (403, "draft")


def test_criterion_change_page_offers_sections_and_contents_of_its_own_movement(
    admin_client_en,
):
    campaign, other = CampaignFactory(), CampaignFactory()
    content = ContentFactory(campaign=campaign)
    ContentFactory(campaign=other)
    section = CriterionFactory(campaign=campaign, code="1")
    criterion = CriterionFactory(campaign=campaign, code="2")
    CriterionFactory(campaign=campaign, code="1", subject=Subject.INDIVIDUAL)
    CriterionFactory(campaign=other, code="1")

    response = admin_client_en.get(reverse("admin:campaigns_criterion_change", args=[criterion.pk]))

    form = response.context["adminform"].form
    assert list(form.fields["parent"].queryset) == [section]
    assert list(form.fields["content"].queryset) == [content]


def test_criterion_added_from_a_filtered_list_starts_in_its_movement(admin_client_en):
    campaign, other = CampaignFactory(), CampaignFactory()
    section = CriterionFactory(campaign=campaign, code="1", subject=Subject.INDIVIDUAL)
    CriterionFactory(campaign=other, code="1", subject=Subject.INDIVIDUAL)
    filters = f"campaign__id__exact={campaign.pk}&subject__exact=individual"

    response = admin_client_en.get(
        reverse("admin:campaigns_criterion_add"), {"_changelist_filters": filters}
    )

    form = response.context["adminform"].form
    assert (form.initial["campaign"], form.initial["subject"]) == (campaign.pk, "individual")
    assert list(form.fields["parent"].queryset) == [section]


def test_criterion_add_page_without_a_movement_labels_sections_with_theirs(admin_client_en):
    campaign = CampaignFactory(name="Thi đua 2024")
    section = CriterionFactory(campaign=campaign, code="1", text="Mục một")

    response = admin_client_en.get(
        reverse("admin:campaigns_criterion_add"), {"_changelist_filters": "campaign__id__exact=x"}
    )

    field = response.context["adminform"].form.fields["parent"]
    assert [field.label_from_instance(c) for c in field.queryset] == ["Thi đua 2024 – 1 Mục một"]
    assert list(field.queryset) == [section]


def test_criterion_add_page_saves_a_criterion_under_its_section(admin_client_en):
    campaign = CampaignFactory()
    content = ContentFactory(campaign=campaign)
    section = CriterionFactory(campaign=campaign, code="1")
    data = {
        "campaign": campaign.pk,
        "subject": "collective",
        "content": content.pk,
        "parent": section.pk,
        "code": "1.1",
        "text": "Hoàn thành kế hoạch",
        "kind": "scored",
        "max_points": "5",
        "order": "1",
    }

    response = admin_client_en.post(reverse("admin:campaigns_criterion_add"), data)

    assert response.status_code == 302
    created = Criterion.objects.get(code="1.1")
    assert (created.parent, created.content, created.max_points) == (section, content, 5)


def test_copy_preview_shows_the_plan_for_the_year_typed_in(admin_client_en, ministry):
    campaign = CampaignFactory(name="Thi đua 2024", year=2024, organizer=ministry)
    EmulationGroupFactory(year=2024, code="K1")
    EmulationGroupFactory(year=2024, code="K2")
    EmulationGroupFactory(year=2026, code="K2")

    response = admin_client_en.post(
        reverse("admin:campaigns_campaign_changelist"),
        _action(campaign, year="2026", preview="Show"),
    )

    plan = response.context["plan"]
    assert (plan.name, plan.groups, plan.groups_existing) == ("Thi đua 2026", ["K1"], ["K2"])
    assert response.context["form"]["year"].value() == "2026"
    assert Campaign.objects.count() == 1


def test_copy_is_recorded_in_the_admin_history(admin_client_en, admin_user, ministry):
    campaign = CampaignFactory(name="Thi đua 2024", year=2024, organizer=ministry)

    admin_client_en.post(
        reverse("admin:campaigns_campaign_changelist"),
        _action(campaign, year="2025", confirm="Copy"),
    )

    copy = Campaign.objects.get(year=2025)
    entries = LogEntry.objects.values_list("user", "object_id", "action_flag")
    assert list(entries) == [(admin_user.pk, str(copy.pk), ADDITION)]


def test_campaign_change_list_links_to_each_movements_criteria(admin_client_en):
    campaign = CampaignFactory()

    response = admin_client_en.get(reverse("admin:campaigns_campaign_changelist"))

    url = reverse("admin:campaigns_criterion_changelist")
    assert f'href="{url}?campaign__id__exact={campaign.pk}"' in response.content.decode()


def test_criteria_change_list_names_the_movement_unless_filtered_by_one(admin_client_en):
    campaign = CampaignFactory()
    CriterionFactory(campaign=campaign)
    url = reverse("admin:campaigns_criterion_changelist")

    unfiltered = admin_client_en.get(url)
    filtered = admin_client_en.get(url, {"campaign__id__exact": campaign.pk})

    assert (unfiltered.context["cl"].list_display[1], filtered.context["cl"].list_display[1]) == (
        "campaign",
        "tree_code",
    )
