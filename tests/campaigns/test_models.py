import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from campaigns.enums import CampaignStatus, PeriodKind, Subject
from campaigns.models import Campaign, Title

from ..factories import (
    CampaignFactory,
    ContentFactory,
    CriterionFactory,
    PeriodFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


def _refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_content_number_is_unique_per_campaign():
    campaign = CampaignFactory()
    ContentFactory(campaign=campaign, number=1)
    ContentFactory(number=1)

    _refused(ContentFactory, campaign=campaign, number=1)


def test_task_number_is_unique_per_campaign():
    campaign = CampaignFactory()
    TaskFactory(campaign=campaign, number=3)

    _refused(TaskFactory, campaign=campaign, number=3)


def test_numbers_start_at_one():
    _refused(ContentFactory, number=0)


def test_criterion_code_is_unique_per_campaign_and_subject():
    campaign = CampaignFactory()
    CriterionFactory(campaign=campaign, subject=Subject.COLLECTIVE, code="2.1")
    CriterionFactory(campaign=campaign, subject=Subject.INDIVIDUAL, code="2.1")

    _refused(CriterionFactory, campaign=campaign, subject=Subject.COLLECTIVE, code="2.1")


def test_criterion_points_are_not_negative():
    _refused(CriterionFactory, max_points=Decimal("-1"))


def test_criterion_section_must_share_campaign_and_subject():
    section = CriterionFactory(subject=Subject.COLLECTIVE)
    child = CriterionFactory.build(
        campaign=section.campaign, subject=Subject.INDIVIDUAL, parent=section, code="1.1"
    )

    with pytest.raises(ValidationError) as excinfo:
        child.full_clean()

    assert list(excinfo.value.message_dict) == ["parent"]


def test_campaign_cannot_end_before_it_starts():
    _refused(CampaignFactory, starts_on=dt.date(2024, 6, 1), ends_on=dt.date(2024, 5, 31))


def test_period_kind_is_unique_per_campaign():
    campaign = CampaignFactory()
    PeriodFactory(campaign=campaign, kind=PeriodKind.YEAR_END)

    _refused(PeriodFactory, campaign=campaign, kind=PeriodKind.YEAR_END)


def test_period_dates_are_in_order():
    _refused(
        PeriodFactory,
        opens_on=dt.date(2024, 6, 1),
        due_on=dt.date(2024, 7, 1),
        closes_on=dt.date(2024, 6, 30),
    )


def test_period_clean_explains_bad_dates():
    period = PeriodFactory.build(
        campaign=CampaignFactory(),
        opens_on=dt.date(2024, 6, 10),
        due_on=dt.date(2024, 6, 1),
        closes_on=dt.date(2024, 6, 30),
    )

    with pytest.raises(ValidationError) as excinfo:
        period.full_clean()

    assert list(excinfo.value.message_dict) == ["due_on"]


def test_campaign_visible_to_unit_head_only_when_launched_and_participating(head_a, unit_a, unit_b):
    mine = CampaignFactory(status=CampaignStatus.LAUNCHED)
    mine.participants.add(unit_a)
    draft = CampaignFactory(status=CampaignStatus.DRAFT)
    draft.participants.add(unit_a)
    theirs = CampaignFactory(status=CampaignStatus.LAUNCHED)
    theirs.participants.add(unit_b)

    assert list(Campaign.objects.visible_to(head_a)) == [mine]


def test_title_catalogue_holds_the_law_titles():
    codes = set(Title.objects.values_list("code", flat=True))

    assert {"LDTT", "CSTDCS", "CSTD_BO", "CSTD_TQ", "TTLDTT", "TTLDXS", "CO_BO", "CO_CP"} <= codes
    assert Title.objects.get(code="CSTDCS").name_vi == "Chiến sĩ thi đua cơ sở"


def test_title_name_follows_active_language():
    title = Title.objects.get(code="LDTT")

    with translation.override("en"):
        english = title.name
    with translation.override("vi"):
        vietnamese = title.name

    assert (english, vietnamese) == ("Advanced Worker", "Lao động tiên tiến")
