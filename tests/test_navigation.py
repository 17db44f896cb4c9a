"""The main navigation, role by role: each role sees exactly the entries its
permissions open (templates/base.html asks `perms`, units.context_processors answers
from the rules), and asking costs no query of Django's permission tables."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from units.context_processors import RulePermWrapper

from .factories import UserFactory

pytestmark = pytest.mark.django_db

ENTRIES = {
    "home": "home",
    "movements": "campaigns:list",
    "review": "campaigns:review_queue",
    "reports": "reports:index",
    "groups": "units:list",
    "locked": "units:locked_accounts",
    "admin": "admin:index",
}
NAV = re.compile(r'<nav class="site-nav"[^>]*>(.*?)</nav>', re.DOTALL)
HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture
def staff_officer(db):
    return UserFactory(username="staff_officer", is_staff=True, is_emulation_officer=True)


def menu(client) -> set[str]:
    """The names of the navigation's entries on the home page."""
    html = client.get(reverse("home")).content.decode()
    found = NAV.search(html)
    if found is None:
        return set()
    hrefs = set(HREF.findall(found.group(1)))
    by_url = {reverse(name): key for key, name in ENTRIES.items()}
    assert hrefs <= set(by_url), hrefs - set(by_url)
    return {by_url[href] for href in hrefs}


EVERYONE = {"home", "movements", "groups"}


@pytest.mark.parametrize(
    ("role", "entries"),
    [
        ("head_a", EVERYONE),
        ("block_head", EVERYONE),
        ("council", EVERYONE),
        ("leader", EVERYONE | {"reports"}),
        ("officer", EVERYONE | {"review", "reports", "locked"}),
        ("staff_officer", EVERYONE | {"review", "reports", "locked", "admin"}),
        ("admin_user", EVERYONE | {"review", "reports", "locked", "admin"}),
    ],
)
def test_each_role_sees_exactly_its_menu_entries(request, client_for, role, entries):
    user = request.getfixturevalue(role)

    shown = menu(client_for(user))

    assert shown == entries
    assert set(ENTRIES) - shown == set(ENTRIES) - entries


def test_a_staff_account_without_a_ministry_role_sees_only_the_admin_beyond_everyone(
    client_for,
):
    user = UserFactory(username="it_staff", is_staff=True)

    assert menu(client_for(user)) == EVERYONE | {"admin"}


def test_anonymous_visitor_sees_no_menu(client):
    response = client.get(reverse("login"))

    assert NAV.search(response.content.decode()) is None


@pytest.mark.parametrize("role", ["head_a", "block_head", "council", "leader"])
def test_the_menu_reads_no_permission_table(request, client_for, role):
    """A rule that says no ends there: the model backend is not asked on its behalf."""
    client = client_for(request.getfixturevalue(role))

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))

    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "auth_permission" not in tables
    assert "user_permissions" not in tables


def test_template_perms_answer_a_model_permission_through_django(admin_user, head_a):
    """A name no rules module defines (a model permission of the admin) is Django's."""
    assert "campaigns.change_campaign" in RulePermWrapper(admin_user)
    assert "campaigns.change_campaign" not in RulePermWrapper(head_a)
    assert RulePermWrapper(head_a)["units"]["view_groups"] is True
