"""The role × URL sweep: every URL pattern of the project, its path filled with unit
B's objects, requested with GET and with POST (a valid CSRF token) by every role that
is not unit B: anonymous, the head of unit A, the head of a block unit B is not in, a
council member, leadership and an emulation officer.

Expected: the anonymous visitor is sent to the login page (401 for htmx); the others
get 403 or 404 (405 for a method the page does not take), except where EXPECTED says
the role may use the page (leadership reads, officers review); never a 500; nothing
written, by GET or POST (row counts of every table of the product and every column of
unit B's rows are compared before and after each request), except by an action
EXPECTED allows; unit B's texts never in a page shown to a role that may not see them.
The POST carries a form unit B's managers (or an officer) could send
(routes.POST_DATA), so a refusal is the permission's, not the form's.

tests/security/routes.py says how to fill each pattern; a pattern that is neither in
it nor excluded fails test_every_url_pattern_is_swept.
"""

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.urls import reverse

from campaigns.models import IndividualAssessment, Registration

from .csrf import CSRF_REFUSED
from .routes import (
    ADMIN_KWARGS,
    ADMIN_OBJECTS,
    ATTACK,
    EXCLUDED,
    POST_DATA,
    ROUTE_KWARGS,
    pattern_keys,
    registered_admin_models,
)
from .world import FILE_SECRET, ROLES, SECRET

pytestmark = pytest.mark.django_db

SIGNED_IN = tuple(role for role in ROLES if role != "anonymous")
NOT_ALLOWED = 405  # the method the page does not take
LOGIN = "login"  # anonymous: redirected to the login page (401 for htmx)
ADMIN_LOGIN = "admin-login"  # redirected to the admin's login page


@dataclass(frozen=True)
class Expect:
    """What each role gets from GET and POST on one pattern. A value is a status, a
    set of statuses, LOGIN or ADMIN_LOGIN. `readers` may see unit B's data there;
    `writers` may change something with the POST the sweep sends (an empty form)."""

    get: dict
    post: dict
    readers: frozenset = frozenset()
    writers: frozenset = frozenset()
    # Unit B's name is public on these pages (the published blocks and clusters).
    names_public: bool = False
    public: bool = False  # no login needed (the login page, the health check)


def roles(default, **overrides) -> dict:
    """A status for every signed-in role: overrides name a role each, default the rest."""
    unknown = set(overrides) - set(SIGNED_IN)
    assert not unknown, unknown
    return {role: overrides.get(role, default) for role in SIGNED_IN}


def page(get: dict, *, readers=(), post=None, **options) -> Expect:
    """A page that takes GET only."""
    return Expect(get=get, post=post or roles(NOT_ALLOWED), readers=frozenset(readers), **options)


def action(post: dict, *, readers=(), writers=(), get=None, **options) -> Expect:
    """An action that takes POST only."""
    return Expect(
        get=get or roles(NOT_ALLOWED),
        post=post,
        readers=frozenset(readers),
        writers=frozenset(writers),
        **options,
    )


def public(*, get, post) -> Expect:
    """A page needing no login: every role, the anonymous visitor too, gets the same."""
    return Expect(
        get={**roles(get), "anonymous": get}, post={**roles(post), "anonymous": post}, public=True
    )


MINISTRY = ("leader", "officer")  # ministry-wide readers of every unit's data

EXPECTED = {
    "home": page(roles(200)),
    # Signed in, the login page sends home; its POST (an empty form) shows the errors.
    "login": Expect(
        get={**roles(302), "anonymous": 200},
        post={**roles(302), "anonymous": 200},
        public=True,
    ),
    "logout": Expect(
        get={**roles(NOT_ALLOWED), "anonymous": NOT_ALLOWED},
        post={**roles(302), "anonymous": 302},
        public=True,
    ),
    "password_change": Expect(get=roles(200), post=roles(200)),  # own account, form errors
    "password_change_done": page(roles(200)),
    "healthz": Expect(
        get={**roles(200), "anonymous": 200},
        post={**roles(NOT_ALLOWED), "anonymous": NOT_ALLOWED},
        public=True,
    ),
    "campaigns:list": page(roles(200)),
    # The movement unit A, C and B take part in: its page shows no unit's answers.
    "campaigns:detail": page(roles(200)),
    # Each manager lands on their own unit's self-assessment (A's, C's), never B's;
    # the ministry-wide roles manage no unit. Opening it writes nothing (issue 9
    # item 10: today the GET creates the submission).
    "campaigns:my_submission": page(roles(404, head_a={200, 302}, block_head={200, 302})),
    "campaigns:submission_detail": page(
        roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY
    ),
    "campaigns:submission_total": page(
        roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY
    ),
    "campaigns:submission_submit": action(roles(404, **dict.fromkeys(MINISTRY, 403))),
    "campaigns:submission_withdraw": action(roles(404, **dict.fromkeys(MINISTRY, 403))),
    # Only unit B's managers may change its answers or files: the role is refused
    # before the form is read (today leadership and officers get the sheet back with
    # "the form is missing its version", or a redirect saying to choose a file).
    "campaigns:answer_save": action(roles(404, **dict.fromkeys(MINISTRY, 403))),
    "campaigns:evidence_upload": action(roles(404, **dict.fromkeys(MINISTRY, 403))),
    # The same by the unit, the period and the criterion (what the sheet posts to).
    "campaigns:criterion_answer_save": action(roles(404, **dict.fromkeys(MINISTRY, 403))),
    "campaigns:criterion_evidence_upload": action(roles(404, **dict.fromkeys(MINISTRY, 403))),
    "campaigns:unit_total": page(roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    "campaigns:unit_submit": action(roles(404, **dict.fromkeys(MINISTRY, 403))),
    "campaigns:evidence_download": page(
        roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY
    ),
    "campaigns:evidence_delete": action(roles(404, **dict.fromkeys(MINISTRY, 403))),
    "campaigns:review_queue": page(roles(200), readers=MINISTRY),
    "campaigns:review": page(roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    "campaigns:review_total": page(roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    "campaigns:submission_history": page(roles(404, leader=403, officer=200), readers=("officer",)),
    # The officer returns it with the reason the form carries: allowed.
    "campaigns:submission_return": action(
        roles(404, leader=403, officer=302), readers=("officer",), writers=("officer",)
    ),
    "campaigns:submission_accept": action(
        roles(404, leader=403, officer=302), readers=("officer",), writers=("officer",)
    ),
    # Submitted, in an open period: nothing to reopen (400 with the reason).
    "campaigns:submission_reopen": action(
        roles(404, leader=403, officer=400), readers=("officer",)
    ),
    # Without htmx the saved review goes back to the review page: allowed.
    "campaigns:answer_review": action(
        roles(404, leader=403, officer=302), readers=("officer",), writers=("officer",)
    ),
    "campaigns:criterion_review": action(
        roles(404, leader=403, officer=302), readers=("officer",), writers=("officer",)
    ),
    # Block scoring: unit B's cluster is headed by unit B itself, which nobody of the
    # sweep manages; the ministry-wide roles read the page, the officer changes a
    # block score with the reason the form carries (back to the page: allowed).
    "campaigns:block_scoring": page(roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    "campaigns:block_total": page(roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    "campaigns:criterion_block_score": action(
        roles(404, leader=403, officer=302), readers=("officer",), writers=("officer",)
    ),
    # Confirming the unit's scores is the block's own act, never the Department's.
    "campaigns:block_confirm": action(roles(404, **dict.fromkeys(MINISTRY, 403)), readers=MINISTRY),
    "campaigns:urging": page(roles(403, officer=200), readers=("officer",)),
    # Unit B has submitted: nobody to remind, nothing to reopen while the period is open.
    "campaigns:remind": action(roles(403, officer=302), readers=("officer",)),
    "campaigns:reopen_unit": action(roles(403, officer=400), readers=("officer",)),
    "campaigns:registration": Expect(
        get=roles(404, **dict.fromkeys(MINISTRY, 200)),
        post=roles(404, **dict.fromkeys(MINISTRY, 403)),
        readers=frozenset(MINISTRY),
    ),
    "campaigns:registration_list": page(
        roles(403, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY
    ),
    "campaigns:registrations_export": Expect(
        get=roles(403, **dict.fromkeys(MINISTRY, 200)),
        post=roles(403, **dict.fromkeys(MINISTRY, 200)),
        readers=frozenset(MINISTRY),
    ),
    "campaigns:individuals": page(roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    "campaigns:individual_row": Expect(
        get=roles(404, **dict.fromkeys(MINISTRY, 200)),
        post=roles(404, **dict.fromkeys(MINISTRY, 403)),
        readers=frozenset(MINISTRY),
    ),
    "campaigns:individuals_export": Expect(
        get=roles(404, **dict.fromkeys(MINISTRY, 200)),
        post=roles(404, **dict.fromkeys(MINISTRY, 200)),
        readers=frozenset(MINISTRY),
    ),
    "campaigns:individuals_import": Expect(
        get=roles(404, **dict.fromkeys(MINISTRY, 403)),
        post=roles(404, **dict.fromkeys(MINISTRY, 403)),
    ),
    # The period's blocks and clusters each role may follow: unit B's cluster (its
    # name is published) for the ministry and the council, none for the others.
    "campaigns:blocks": page(roles(200), names_public=True),
    # Unit B's cluster's page: the ministry and the council; not the block head of
    # another block, nor a member unit's head.
    "campaigns:block": page(
        roles(404, council=200, **dict.fromkeys(MINISTRY, 200)),
        readers=("council", *MINISTRY),
    ),
    # An officer overrides unit B's late penalty with the reason the form carries:
    # allowed; leadership sees the sheet but may not (403); the others do not see it.
    "campaigns:adjustment_override": action(
        roles(404, leader=403, officer=302), readers=("officer",), writers=("officer",)
    ),
    # The blocks and clusters are published: unit B's cluster is listed for everyone.
    # The acclamation of unit B's cluster: the ministry and the council follow it (and
    # read its result); opening, voting, closing and the minutes are the cluster's.
    "campaigns:acclamation": page(
        roles(404, council=200, leader=200, officer=200), readers=("council", *MINISTRY)
    ),
    **{
        f"campaigns:acclamation_{name}": action(
            roles(404, council=403, leader=403, officer=403), readers=("council", *MINISTRY)
        )
        for name in ("open", "vote", "close", "minutes")
    },
    "units:list": page(roles(200), names_public=True),
    "units:detail": page(
        roles(404, **dict.fromkeys(MINISTRY, 200)),
        post=roles(404, **dict.fromkeys(MINISTRY, NOT_ALLOWED)),
        readers=MINISTRY,
    ),
    # A background import is its sender's only: unit B's head's job is nobody else's.
    "units:import_job": page(roles(404)),
    "units:import_job_status": page(roles(404)),
    # Officers see who is locked out and unlock unit B's head (whose failures are on
    # record): allowed.
    # (The permission is checked before the method: 403 for either method.)
    "units:locked_accounts": page(
        roles(403, officer=200), post=roles(403, officer=NOT_ALLOWED), readers=("officer",)
    ),
    "units:unlock_account": action(
        roles(403, officer=302),
        get=roles(403, officer=NOT_ALLOWED),
        readers=("officer",),
        writers=("officer",),
    ),
    # Password reset by email: public pages; the empty form shows its errors and the
    # link with a token that is not one says it is invalid. Nothing is sent or saved.
    "password_reset": public(get=200, post=200),
    "admin_password_reset": public(get=200, post=200),
    "password_reset_done": public(get=200, post=NOT_ALLOWED),
    "password_reset_confirm": public(get=200, post=200),
    "password_reset_complete": public(get=200, post=NOT_ALLOWED),
    "reports:index": page(roles(403, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    "reports:campaign": page(roles(403, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    "reports:request": action(roles(403, officer=302), readers=("officer",), writers=("officer",)),
    "reports:detail": page(roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    "reports:status": page(roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    "reports:narrative": action(
        roles(404, leader=403, officer=302), readers=("officer",), writers=("officer",)
    ),
    # Only the strengths are written: finalising is refused with the message.
    "reports:finalise": action(roles(404, leader=403, officer=302), readers=("officer",)),
    # A finished build has nothing to retry: the page says so.
    "reports:retry": action(roles(404, leader=403, officer=302), readers=("officer",)),
    "reports:download_pdf": page(roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    "reports:download_xlsx": page(roles(404, **dict.fromkeys(MINISTRY, 200)), readers=MINISTRY),
    # Unit B's cluster's scoring table: the ministry and the council see every block's.
    "reports:block_scoring_pdf": page(
        roles(404, council=200, **dict.fromkeys(MINISTRY, 200)), readers=(*MINISTRY, "council")
    ),
    "reports:block_scoring_xlsx": page(
        roles(404, council=200, **dict.fromkeys(MINISTRY, 200)), readers=(*MINISTRY, "council")
    ),
    # Its vote is not open: no minutes for anyone (the readers are told why).
    "reports:block_minutes_pdf": page(roles(404), readers=(*MINISTRY, "council")),
    "reports:block_minutes_xlsx": page(roles(404), readers=(*MINISTRY, "council")),
}

# The admin: nobody in the sweep is staff, so every page sends to the admin's login,
# whose own page (and logout) answer anyone.
ADMIN_ONLY = Expect(
    get={**roles(ADMIN_LOGIN), "anonymous": ADMIN_LOGIN},
    post={**roles(ADMIN_LOGIN), "anonymous": ADMIN_LOGIN},
)
ADMIN_PUBLIC = {
    "admin:login": Expect(
        get={**roles(200), "anonymous": 200}, post={**roles(200), "anonymous": 200}, public=True
    ),
    # Not staff: the admin's logout sends to the admin's index (and so to its login)
    # without signing anyone out of the product.
    "admin:logout": Expect(
        get={**roles(302), "anonymous": 302}, post={**roles(302), "anonymous": 302}, public=True
    ),
}
for key in ADMIN_KWARGS:
    EXPECTED[key] = ADMIN_PUBLIC.get(key, ADMIN_ONLY)

ALL_KWARGS = {**ROUTE_KWARGS, **ADMIN_KWARGS}


# ---------------------------------------------------------------------------
# The tables cover every pattern


def test_every_url_pattern_is_swept():
    keys = {key for key, _route in pattern_keys()}
    missing = sorted(keys - set(ALL_KWARGS) - set(EXCLUDED))
    assert not missing, f"URL patterns the sweep does not know how to fill: {missing}"
    stale = sorted((set(ALL_KWARGS) | set(EXCLUDED)) - keys)
    assert not stale, f"the sweep lists patterns that no longer exist: {stale}"
    assert set(EXPECTED) == set(ALL_KWARGS)


def test_every_admin_model_has_an_object_of_unit_b():
    assert registered_admin_models() == set(ADMIN_OBJECTS)


def test_every_expectation_names_every_role():
    for key, expect in EXPECTED.items():
        for method in (expect.get, expect.post):
            assert set(method) >= set(SIGNED_IN), key


# ---------------------------------------------------------------------------
# Requests


@pytest.fixture(autouse=True)
def csrf_refusal_is_visible(settings):
    settings.CSRF_FAILURE_VIEW = "tests.security.csrf.failure"


def _url(key: str, world) -> str:
    kwargs = ALL_KWARGS[key](world)
    if key.startswith("admin/"):  # an unnamed admin pattern: its route with the id
        return "/" + key.replace("<path:object_id>", str(kwargs["object_id"]))
    return reverse(key, kwargs=kwargs)


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # also closes the file
    return response.content


def _tables() -> list[str]:
    return [
        model._meta.db_table
        for app_label in ("units", "campaigns", "awards", "reports", "admin", "auth")
        for model in apps.get_app_config(app_label).get_models()
    ]


def _b_objects(world) -> list[tuple[str, str, int]]:
    """(table, column, value) selecting each of unit B's objects."""
    head_b = world.users["head_b"]
    rows = [
        (obj._meta.db_table, "id", obj.pk)
        for obj in (
            world.unit_b,
            world.submission_b,
            world.evidence_b,
            world.registration_b,
            world.person_b,
            world.assessment_b,
            world.report,
            world.reminder_b,
            world.cluster_b,
            world.acclamation_b,
            world.proposal_b,
            head_b,
        )
    ]
    answer = world.answer_b
    rows.append((answer._meta.db_table, "submission_id", world.submission_b.pk))
    rows.append((head_b.memberships.model._meta.db_table, "user_id", head_b.pk))
    return rows


def snapshot(world) -> tuple:
    """Row counts of every table of the product, and unit B's rows column by column.
    Raw SQL, a few queries: the sweep takes thousands of snapshots."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Table and column names come from the models, never from input.
        counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in _tables())  # noqa: S608
        cursor.execute(f"SELECT {counts}")
        result = [tuple(cursor.fetchone())]
        for table, column, value in _b_objects(world):
            cursor.execute(
                f"SELECT * FROM {quote(table)} WHERE {quote(column)} = %s ORDER BY 1",  # noqa: S608
                [value],
            )
            result.append(tuple(cursor.fetchall()))
    return tuple(result)


def _check(response, expected, *, role, key, world):
    status = response.status_code
    assert status != CSRF_REFUSED, f"{key} {role}: the CSRF token was refused"
    assert status < 500, f"{key} {role}: {status}"
    if expected == LOGIN:
        assert status == 302, f"{key} {role}: {status}"
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), response[
            "Location"
        ]
    elif expected == ADMIN_LOGIN:
        assert status == 302, f"{key} {role}: {status}"
        assert response["Location"].startswith(reverse("admin:login")), response["Location"]
    elif isinstance(expected, (set, frozenset)):
        assert status in expected, f"{key} {role}: {status}, expected one of {expected}"
    else:
        assert status == expected, f"{key} {role}: {status}, expected {expected}"


def _assert_no_leak(body: bytes, *, key, role, world, names_public: bool):
    text = body.decode("utf-8", "replace")
    assert SECRET not in text, f"{key} {role}: unit B's text in the page"
    assert FILE_SECRET not in body, f"{key} {role}: unit B's file in the response"
    assert world.person_b.full_name not in text, f"{key} {role}: unit B's person in the page"
    if not names_public:
        assert world.unit_b.name not in text, f"{key} {role}: unit B named in the page"


def _expected_for(expect: Expect, method: str, role: str):
    if role == "anonymous" and not expect.public:
        table = expect.get if method == "get" else expect.post
        return table.get("anonymous", LOGIN)
    return (expect.get if method == "get" else expect.post)[role]


CASES = [(key, role) for key in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("key", "role"), CASES, ids=[f"{k}-{r}" for k, r in CASES])
def test_sweep(world, key, role):
    expect = EXPECTED[key]
    url = _url(key, world)
    client = world.client(role)
    token = world.csrf_token(role)
    for method in ("get", "post"):
        before = snapshot(world)
        if method == "get":
            response = client.get(url)
        else:
            data = {**POST_DATA.get(key, lambda w: {})(world), "csrfmiddlewaretoken": token}
            response = client.post(url, data, HTTP_X_CSRFTOKEN=token)
        body = _body(response)
        _check(response, _expected_for(expect, method, role), role=role, key=key, world=world)
        if role not in expect.readers:
            _assert_no_leak(body, key=key, role=role, world=world, names_public=expect.names_public)
        if not (method == "post" and role in expect.writers):
            after = snapshot(world)
            assert after[0] == before[0], f"{method.upper()} {key} {role} wrote rows"
            assert after == before, f"{method.upper()} {key} {role} changed unit B's data"


HTMX_KEYS = [key for key in ROUTE_KWARGS if not EXPECTED[key].public]


@pytest.mark.parametrize("key", HTMX_KEYS)
def test_anonymous_htmx_gets_401(world, key):
    """htmx follows redirects silently: the session's end is a 401, never the login
    page swapped into the row being saved."""
    url = _url(key, world)
    client = world.client("anonymous", HTTP_HX_REQUEST="true")
    token = world.csrf_token("anonymous")
    assert client.get(url).status_code == 401
    response = client.post(url, {"csrfmiddlewaretoken": token}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 401


def test_a_post_without_the_token_is_refused(world):
    """The sweep's POSTs pass the CSRF check because they carry the token; without it
    the same POST is refused (so a 403 in the sweep is never the CSRF check's)."""
    client = world.client("officer")
    url = reverse("campaigns:submission_accept", args=[world.submission_b.pk])
    assert client.post(url).status_code == CSRF_REFUSED
    world.submission_b.refresh_from_db()
    assert world.submission_b.state == "submitted"


@pytest.mark.parametrize(
    ("key", "role", "expected"),
    [
        ("campaigns:submission_detail", "leader", SECRET),
        ("campaigns:review", "officer", SECRET),
        ("campaigns:registration", "leader", SECRET),
        ("campaigns:individuals", "officer", SECRET),
        ("reports:detail", "officer", SECRET),
        ("campaigns:evidence_download", "officer", FILE_SECRET.decode()),
        ("reports:download_pdf", "leader", FILE_SECRET.decode()),
    ],
)
def test_the_readers_do_see_unit_b_data(world, key, role, expected):
    """The marker the sweep looks for is on the pages of those who may see it, so its
    absence elsewhere means something."""
    response = world.client(role).get(_url(key, world))

    assert response.status_code == 200
    assert expected in _body(response).decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("key", "saved"),
    [
        ("campaigns:registration", lambda w: Registration.objects.get(pk=w.registration_b.pk)),
        (
            "campaigns:individual_row",
            lambda w: IndividualAssessment.objects.get(pk=w.assessment_b.pk),
        ),
    ],
)
def test_the_sweep_forms_are_valid_for_unit_b(world, key, saved):
    """The forms the sweep posts do save when unit B's own head sends them: the
    refusals of the others are the permission's."""
    client = world.client("head_b")
    token = world.csrf_token("head_b")
    data = {**POST_DATA[key](world), "csrfmiddlewaretoken": token}

    response = client.post(_url(key, world), data, HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 302
    row = saved(world)
    assert ATTACK in (getattr(row, "commitments", "") or getattr(row, "notes", ""))
