"""`manage.py load_demo` is for development: with DEBUG off it refuses and writes
nothing, unless given --force. Each test starts from an empty database (the demo's
own content is specified in test_load_demo.py, loaded once there)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from campaigns.models import Campaign
from units.enums import UnitKind
from units.models import Unit, User

pytestmark = pytest.mark.django_db


def test_load_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("load_demo", stdout=StringIO())

    assert str(error.value) == (
        "The demo data is for development only: DEBUG is off. Run with --force to load it anyway."
    )
    assert (Unit.objects.count(), User.objects.count(), Campaign.objects.count()) == (0, 0, 0)


def test_load_demo_with_force_loads_when_debug_is_off(settings):
    settings.DEBUG = False

    call_command("load_demo", "--force", stdout=StringIO())

    assert Unit.objects.filter(kind=UnitKind.PROVINCIAL_DEPARTMENT).count() == 63
    assert Campaign.objects.filter(year=2024).count() == 1
