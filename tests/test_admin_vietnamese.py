"""The admin speaks Vietnamese only: Django 6.1's admin strings that its own vi
catalogue lacks, and django-axes' (which has none), come from locale/django.

The pages are rendered in Vietnamese (the default) and searched for the English
strings a user saw there; the catalogue is checked against every msgid of Django's
admin and auth, so an upgrade that brings new ones fails here."""

import gettext
import html
import re
from pathlib import Path

import django
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from campaigns.enums import Subject

from .factories import CampaignFactory, CriterionFactory, PeriodFactory
from .test_translations import parse_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "django" / "vi" / "LC_MESSAGES"
DJANGO = Path(django.__file__).resolve().parent

# What the admin showed in English before (the column headers are upper-cased by CSS).
ENGLISH = [
    "Model name",
    "Add link",
    "Change or view list link",
    "Show counts",
    "Hide counts",
    "Search",
    "Run",
    "- Select an option -",
    "Please correct the error below.",
    "Please correct the errors below.",
    "Skip to main content",
    "Toggle theme (current theme: auto)",
    "Toggle navigation",
    "Sidebar",
    "Filter navigation items",
    "Select all objects on this page for an action",
    "Breadcrumbs",
    "Logout",
    "Axes",
    "Access Attempt",
    "access attempts",
    "Locked Out",
]

# Strings whose Vietnamese is written the same.
SAME_IN_VIETNAMESE = {
    ", ",
    "…",
    "%(truncated_text)s…",
    "%(class_name)s %(instance)s",
    "Email",
    "IPv4",
    "IPv6",
    "HTTP Accept",
}


def _texts(content: str) -> set[str]:
    """The words a user reads or hears: text between tags, and the attributes shown
    or read aloud. Scripts are left out."""
    content = re.sub(r"<script.*?</script>", " ", content, flags=re.S)
    attributes = re.findall(r'(?:alt|title|placeholder|aria-label|value)="([^"]*)"', content)
    between = re.sub(r"<[^>]+>", "\n", content).split("\n")
    return {html.unescape(text).strip() for text in [*between, *attributes]} - {""}


def _english_in(response) -> list[str]:
    texts = _texts(response.content.decode())
    return [text for text in ENGLISH if text in texts or text.upper() in texts]


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_admin_index_is_in_vietnamese(superuser_client):
    response = superuser_client.get(reverse("admin:index"))

    assert _english_in(response) == []
    assert {"Danh mục", "Thêm mới", "Lượt đăng nhập"} <= _texts(response.content.decode())


@pytest.mark.django_db
def test_change_list_with_filters_search_and_actions_is_in_vietnamese(superuser_client):
    campaign = CampaignFactory()
    CriterionFactory(campaign=campaign)

    response = superuser_client.get(
        reverse("admin:campaigns_campaign_changelist"), {"q": "thi đua", "_facets": "1"}
    )

    texts = _texts(response.content.decode())
    assert _english_in(response) == []
    assert {"Thực hiện", "Ẩn số lượng", "Tìm kiếm"} <= texts


@pytest.mark.django_db
def test_change_form_with_an_error_is_in_vietnamese(superuser_client):
    campaign = CampaignFactory()

    response = superuser_client.post(
        reverse("admin:campaigns_criterion_add"),
        {"campaign": campaign.pk, "subject": Subject.COLLECTIVE, "code": "", "text": ""},
    )

    assert response.status_code == 200
    assert _english_in(response) == []
    assert "Vui lòng sửa các lỗi dưới đây." in _texts(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "admin:axes_accessattempt_changelist",
        "admin:axes_accesslog_changelist",
        "admin:axes_accessfailurelog_changelist",
    ],
)
def test_login_attempt_pages_are_in_vietnamese(superuser_client, url):
    response = superuser_client.get(reverse(url))

    assert _english_in(response) == []


@pytest.mark.django_db
def test_report_request_form_offers_its_periods_in_vietnamese(client, officer):
    campaign = CampaignFactory()
    PeriodFactory(campaign=campaign)
    client.force_login(officer)

    response = client.get(reverse("reports:campaign", args=[campaign.pk]))

    assert _english_in(response) == []
    assert "- Chọn một mục -" in _texts(response.content.decode())


def _django_catalogue(app: str, domain: str) -> list:
    return [e for e in parse_po(DJANGO / app / "locale/en/LC_MESSAGES" / f"{domain}.po") if e.msgid]


def _untranslated(entries, catalog) -> list[str]:
    missing = []
    for entry in entries:
        if entry.msgid_plural:
            # Vietnamese has one form: both the singular and the plural lookups.
            found = [catalog.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            english = [entry.msgid, entry.msgid_plural]
        elif entry.msgctxt is not None:
            found, english = [catalog.pgettext(entry.msgctxt, entry.msgid)], [entry.msgid]
        else:
            found, english = [catalog.gettext(entry.msgid)], [entry.msgid]
        if entry.msgid not in SAME_IN_VIETNAMESE and any(
            a == b for a, b in zip(found, english, strict=True)
        ):
            missing.append(entry.label)
    return missing


@pytest.mark.parametrize("app", ["contrib/admin", "contrib/auth", "contrib/contenttypes"])
def test_every_django_admin_string_has_vietnamese(app):
    entries = _django_catalogue(app, "django")

    with translation.override("vi"):
        missing = _untranslated(entries, translation)

    assert missing == []


def test_every_django_admin_script_string_has_vietnamese():
    # As the admin's JavaScriptCatalog loads it: the admin's own and LOCALE_PATHS.
    catalog = DjangoTranslation(
        "vi", domain="djangojs", localedirs=[str(DJANGO / "contrib/admin/locale")]
    )

    assert _untranslated(_django_catalogue("contrib/admin", "djangojs"), catalog) == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_project_catalogue_of_django_strings_is_complete_and_compiled(domain):
    entries = [e for e in parse_po(CATALOGUE / f"{domain}.po") if e.msgid]
    with (CATALOGUE / f"{domain}.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)

    untranslated = [e.label for e in entries if not e.translated or "fuzzy" in e.flags]
    stale = [
        e.label
        for e in entries
        if not e.msgid_plural
        and (mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt else mo.gettext(e.msgid)) != e.msgstr[0]
    ]
    assert (untranslated, stale) == ([], [])
