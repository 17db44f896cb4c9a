import pytest

from campaigns.models import Title

pytestmark = pytest.mark.django_db


def test_title_catalogue_is_loaded_by_migrations():
    assert Title.objects.get(code="CSTDCS").name_vi == "Chiến sĩ thi đua cơ sở"
