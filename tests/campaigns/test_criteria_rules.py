"""Two rules of the criteria tree: nothing goes under a yes/no criterion (refused by
the model, the admin and the import), and a section whose criteria can reach more
than its maximum gets a warning (the admin's message, the import's warnings)."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from campaigns.enums import CriterionKind, Subject
from campaigns.models import Criterion
from campaigns.movement import criteria_tree
from campaigns.movement.criteria_sheet import CriterionSheet
from spreadsheets.specs import RowError, import_workbook

from ..factories import CampaignFactory, CriterionFactory

pytestmark = pytest.mark.django_db

HEADER = ["Movement id", "Subject", "Code", "Section code", "Criterion", "Kind", "Maximum points"]


def xlsx(*rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("criteria.xlsx", buffer.getvalue())


@pytest.fixture
def admin_en(client, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# Nothing under a yes/no criterion.


def test_clean_refuses_a_criterion_under_a_yes_no_one(english):
    yes_no = CriterionFactory(code="1", kind=CriterionKind.YES_NO)
    child = Criterion(campaign=yes_no.campaign, subject=Subject.COLLECTIVE, parent=yes_no)

    with pytest.raises(ValidationError) as refused:
        child.clean()

    assert refused.value.message_dict == {
        "parent": ["“1” is a yes/no criterion: no criterion can be put under it."]
    }


def test_clean_refuses_to_make_a_section_yes_no(english):
    section = CriterionFactory(code="1")
    CriterionFactory(campaign=section.campaign, code="1.1", parent=section)
    section.kind = CriterionKind.YES_NO

    with pytest.raises(ValidationError) as refused:
        section.clean()

    assert list(refused.value.message_dict) == ["kind"]


def test_clean_refusal_is_in_vietnamese():
    yes_no = CriterionFactory(code="1", kind=CriterionKind.YES_NO)
    child = Criterion(campaign=yes_no.campaign, subject=Subject.COLLECTIVE, parent=yes_no)

    with pytest.raises(ValidationError) as refused:
        child.clean()

    assert refused.value.message_dict["parent"] == [
        "“1” là tiêu chí có/không: không thể đặt tiêu chí nào bên dưới."
    ]


def test_admin_refuses_a_criterion_under_a_yes_no_one(admin_en):
    yes_no = CriterionFactory(code="1", kind=CriterionKind.YES_NO)
    data = {
        "campaign": yes_no.campaign_id,
        "subject": Subject.COLLECTIVE,
        "parent": yes_no.pk,
        "code": "1.1",
        "text": "Con",
        "kind": CriterionKind.SCORED,
        "max_points": "5",
        "order": "1",
    }

    response = admin_en.post(reverse("admin:campaigns_criterion_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "parent": ["“1” is a yes/no criterion: no criterion can be put under it."]
    }
    assert Criterion.objects.count() == 1


def test_import_refuses_rows_under_a_yes_no_criterion_saved_or_in_the_file(english):
    campaign = CampaignFactory()
    CriterionFactory(campaign=campaign, code="1", kind=CriterionKind.YES_NO)
    file = xlsx(
        HEADER,
        [campaign.pk, "collective", "1.1", "1", "Dưới tiêu chí có/không đã lưu", "scored", 5],
        [campaign.pk, "collective", "2", "", "Có/không mới", "yes_no", 5],
        [campaign.pk, "collective", "2.1", "2", "Dưới tiêu chí có/không mới", "scored", 5],
    )

    result = import_workbook(file, CriterionSheet())

    message = "“{}” is a yes/no criterion: no criterion can be put under it."
    assert result.errors == [
        RowError(2, "Section code", message.format("1")),
        RowError(
            3,
            "Kind",
            "A criterion with criteria under it cannot be yes/no: its points are its criteria's.",
        ),
        RowError(4, "Section code", message.format("2")),
    ]
    assert Criterion.objects.count() == 1


def test_import_refuses_to_make_a_saved_section_yes_no(english):
    campaign = CampaignFactory()
    section = CriterionFactory(campaign=campaign, code="1")
    CriterionFactory(campaign=campaign, code="1.1", parent=section)
    file = xlsx(
        [*HEADER[:3], "Criterion", "Kind"], [campaign.pk, "collective", "1", "Mục", "yes_no"]
    )

    result = import_workbook(file, CriterionSheet())

    assert [(e.row, e.column) for e in result.errors] == [(2, "Kind")]
    assert Criterion.objects.get(pk=section.pk).kind == CriterionKind.SCORED


# A section whose criteria can reach more than its maximum.


def test_over_maximum_finds_sections_their_children_exceed():
    section = Criterion(pk=1, code="1", max_points=Decimal("10"))
    capped = Criterion(pk=2, code="2", max_points=Decimal("10"))
    unset = Criterion(pk=3, code="3", max_points=Decimal("0"))
    children = [
        Criterion(pk=11, parent_id=1, max_points=Decimal("6")),
        Criterion(pk=12, parent_id=1, max_points=Decimal("5")),
        Criterion(pk=21, parent_id=2, max_points=Decimal("10")),
        Criterion(pk=31, parent_id=3, max_points=Decimal("4")),
    ]

    found = criteria_tree.over_maximum([section, capped, unset, *children])

    assert [(item.section.code, item.children_total) for item in found] == [("1", Decimal("11"))]


def test_admin_warns_when_a_sections_criteria_exceed_its_maximum(admin_en):
    section = CriterionFactory(code="1", max_points=Decimal("10"))
    CriterionFactory(campaign=section.campaign, code="1.1", parent=section, max_points=6)
    data = {
        "campaign": section.campaign_id,
        "subject": Subject.COLLECTIVE,
        "parent": section.pk,
        "code": "1.2",
        "text": "Con",
        "kind": CriterionKind.SCORED,
        "max_points": "5",
        "order": "2",
    }

    response = admin_en.post(reverse("admin:campaigns_criterion_add"), data, follow=True)

    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        "The criteria under “1” (Collective) can reach 11 points, more than its maximum of 10: "
        "check the maxima."
    ]
    assert Criterion.objects.filter(code="1.2").count() == 1


def test_admin_does_not_warn_when_the_criteria_fit(admin_en):
    section = CriterionFactory(code="1", max_points=Decimal("10"))
    data = {
        "campaign": section.campaign_id,
        "subject": Subject.COLLECTIVE,
        "parent": section.pk,
        "code": "1.1",
        "text": "Con",
        "kind": CriterionKind.SCORED,
        "max_points": "10",
        "order": "1",
    }

    response = admin_en.post(reverse("admin:campaigns_criterion_add"), data, follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_import_saves_and_warns_when_a_sections_criteria_exceed_its_maximum(english):
    campaign = CampaignFactory()
    file = xlsx(
        HEADER,
        [campaign.pk, "collective", "1", "", "Mục", "scored", 10],
        [campaign.pk, "collective", "1.1", "1", "Con", "scored", "7,5"],
        [campaign.pk, "collective", "1.2", "1", "Con", "scored", 5],
        [campaign.pk, "individual", "1", "", "Mục", "scored", 10],
        [campaign.pk, "individual", "1.1", "1", "Con", "scored", 10],
    )

    result = import_workbook(file, CriterionSheet())

    assert (result.errors, result.created) == ([], 5)
    assert result.warnings == [
        "The criteria under “1” (Collective) can reach 12.5 points, more than its maximum of "
        "10: check the maxima."
    ]


def test_admin_import_shows_the_warnings(admin_en):
    campaign = CampaignFactory()
    file = xlsx(
        HEADER,
        [campaign.pk, "collective", "1", "", "Mục", "scored", 10],
        [campaign.pk, "collective", "1.1", "1", "Con", "scored", 11],
    )

    response = admin_en.post(
        reverse("admin:campaigns_criterion_import"), {"file": file}, follow=True
    )

    assert [(m.level_tag, str(m)) for m in response.context["messages"]][1:] == [
        (
            "warning",
            "The criteria under “1” (Collective) can reach 11 points, more than its maximum "
            "of 10: check the maxima.",
        )
    ]
    assert Criterion.objects.filter(campaign=campaign).count() == 2
