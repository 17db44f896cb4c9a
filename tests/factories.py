import datetime as dt
from decimal import Decimal

import factory
from django.conf import settings
from django.utils import timezone

from campaigns.enums import CampaignStatus, CriterionKind, PeriodKind, Subject
from campaigns.models import Campaign, Content, Criterion, Period, Task
from campaigns.movement import lifecycle
from units.enums import GroupKind, PersonCategory, Role, UnitKind
from units.models import EmulationGroup, GroupMembership, Membership, Person, Unit, User


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    short_name = factory.Sequence(lambda n: f"ĐV{n}")
    kind = UnitKind.DEPARTMENT
    order = factory.Sequence(lambda n: n)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password("secret-pass-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.HEAD


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    unit = factory.SubFactory(UnitFactory)
    full_name = factory.Sequence(lambda n: f"Trần Thị {n}")
    position = "Chuyên viên"
    category = PersonCategory.CIVIL_SERVANT
    employee_code = factory.Sequence(lambda n: f"NV{n:05d}")


class EmulationGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmulationGroup

    kind = GroupKind.BLOCK
    year = 2024
    code = factory.Sequence(lambda n: f"K{n}")
    name = factory.Sequence(lambda n: f"Khối thi đua số {n}")


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(EmulationGroupFactory)
    unit = factory.SubFactory(UnitFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A movement, launched unless `status` says otherwise. It is created as a draft
    and taken to its status by campaigns.movement.lifecycle.bring_to (the loaders' path), so
    it has the CampaignTransition rows a real one would have."""

    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Phong trào thi đua {n}")
    theme = "Kỷ cương trách nhiệm, chủ động kịp thời, tăng tốc sáng tạo"
    year = 2024
    organizer = factory.SubFactory(UnitFactory, kind=UnitKind.MINISTRY)
    starts_on = dt.date(2024, 1, 1)
    ends_on = dt.date(2024, 12, 31)
    status = CampaignStatus.LAUNCHED

    @classmethod
    def _create(cls, model_class, *args, status=CampaignStatus.DRAFT, **kwargs):
        campaign = super()._create(model_class, *args, **kwargs)
        return lifecycle.bring_to(campaign, status, now=timezone.now())


class ContentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Content

    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Nội dung {n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    campaign = factory.SubFactory(CampaignFactory)
    subject = Subject.COLLECTIVE
    code = factory.Sequence(lambda n: f"{n + 1}")
    text = factory.Sequence(lambda n: f"Tiêu chí {n}")
    kind = CriterionKind.SCORED
    max_points = Decimal("10")
    order = factory.Sequence(lambda n: n)


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period

    campaign = factory.SubFactory(CampaignFactory)
    kind = PeriodKind.SIX_MONTHLY
    opens_on = dt.date(2024, 6, 1)
    due_on = dt.date(2024, 6, 30)
    closes_on = dt.date(2024, 7, 15)


def password_for_tests() -> str:
    return "secret-pass-123"


__all__ = [name for name in dir() if name.endswith("Factory")] + ["settings"]
