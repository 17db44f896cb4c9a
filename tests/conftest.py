"""The cast every test can use (healthchecks' alice/bob/charlie, in our roles).

unit_a and unit_b are two units of the ministry; head_a heads unit A, head_b unit B.
block_head heads a block that unit A belongs to. officer is an emulation officer of
the Department of Organization and Personnel; council a council member; leader the
minister. Tests that check data does not leak create it for unit B first.
"""

import pytest

from units.enums import GroupKind, Role, UnitKind

from .factories import (
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
)
from .worker import celery_worker_process, celery_workers  # noqa: F401 — fixtures for celery_worker tests


@pytest.fixture
def ministry(db):
    return UnitFactory(code="bo", name="Bộ Tài nguyên và Môi trường", kind=UnitKind.MINISTRY)


@pytest.fixture
def unit_a(ministry):
    return UnitFactory(parent=ministry, code="unit-a", name="Vụ Pháp chế", short_name="VPC")


@pytest.fixture
def unit_b(ministry):
    return UnitFactory(parent=ministry, code="unit-b", name="Cục Viễn thám", short_name="CVT")


@pytest.fixture
def unit_c(ministry):
    return UnitFactory(parent=ministry, code="unit-c", name="Viện Chiến lược", short_name="VCL")


@pytest.fixture
def head_a(unit_a):
    return MembershipFactory(unit=unit_a, role=Role.HEAD, user__username="head_a").user


@pytest.fixture
def head_b(unit_b):
    return MembershipFactory(unit=unit_b, role=Role.HEAD, user__username="head_b").user


@pytest.fixture
def block(unit_a, unit_c):
    """A 2024 block headed by unit C, with units A and C as members."""
    group = EmulationGroupFactory(kind=GroupKind.BLOCK, year=2024, head_unit=unit_c)
    GroupMembershipFactory(group=group, unit=unit_a)
    GroupMembershipFactory(group=group, unit=unit_c)
    return group


@pytest.fixture
def block_head(unit_c, block):
    return MembershipFactory(unit=unit_c, role=Role.HEAD, user__username="block_head").user


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", is_emulation_officer=True)


@pytest.fixture
def council(db):
    return UserFactory(username="council", is_council_member=True)


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", is_leadership=True)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def cast(head_a, head_b, block_head, officer, council, leader):
    """Every role by name, with None for the anonymous visitor."""
    return {
        "anonymous": None,
        "head_a": head_a,
        "head_b": head_b,
        "block_head": block_head,
        "officer": officer,
        "council": council,
        "leader": leader,
    }


@pytest.fixture
def client_for(client):
    """client_for(user) returns the test client signed in as user (or anonymous)."""

    def _client_for(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _client_for


@pytest.fixture
def english(settings):
    """Run a test in English, the language of the source strings, so it can assert
    the messages as written in the code. Vietnamese is the default everywhere else."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
