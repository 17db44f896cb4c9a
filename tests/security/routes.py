"""Every URL pattern of the project, and how to fill its path with unit B's objects.

ROUTE_KWARGS maps a pattern's key (its namespaced name, or for the admin's unnamed
redirect patterns its route) to a function building its kwargs from the World. A
pattern neither here nor in EXCLUDED fails tests/security/test_sweep.py
::test_every_url_pattern_is_swept: a new page must say how to reach it with another
unit's objects before it can be merged.
"""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from units.models import Unit

# Patterns the sweep does not request, each with why.
EXCLUDED = {
    # Django's language switch: public by design, writes only the language cookie.
    "set_language": "public language switch (cookie only)",
    # The admin's catch-all (APPEND_SLASH / 404 for unknown admin paths): its
    # behaviour for non-staff is the admin login redirect, swept via every named
    # admin page; requesting it needs an arbitrary path, not an object.
    "admin/(?P<url>.*)$": "admin catch-all for unknown paths",
}


def pattern_keys(patterns=None, prefix: str = "", namespace: str | None = None):
    """(key, route) of every URL pattern, walking includes recursively."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from pattern_keys(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                key = route
            yield key, route


# ---------------------------------------------------------------------------
# The product's pages

ROUTE_KWARGS = {
    "home": lambda w: {},
    "login": lambda w: {},
    "logout": lambda w: {},
    "password_change": lambda w: {},
    "password_change_done": lambda w: {},
    "healthz": lambda w: {},
    "campaigns:list": lambda w: {},
    "campaigns:detail": lambda w: {"pk": w.campaign.pk},
    "campaigns:my_submission": lambda w: {"period_pk": w.period.pk},
    "campaigns:submission_detail": lambda w: {"pk": w.submission_b.pk},
    "campaigns:submission_submit": lambda w: {"pk": w.submission_b.pk},
    "campaigns:submission_withdraw": lambda w: {"pk": w.submission_b.pk},
    "campaigns:submission_total": lambda w: {"pk": w.submission_b.pk},
    "campaigns:answer_save": lambda w: {"pk": w.answer_b.pk},
    "campaigns:criterion_answer_save": lambda w: _unit_criterion(w),
    "campaigns:criterion_evidence_upload": lambda w: _unit_criterion(w),
    "campaigns:unit_total": lambda w: {"period_pk": w.period.pk, "unit_pk": w.unit_b.pk},
    "campaigns:unit_submit": lambda w: {"period_pk": w.period.pk, "unit_pk": w.unit_b.pk},
    "campaigns:evidence_upload": lambda w: {"pk": w.answer_b.pk},
    "campaigns:evidence_download": lambda w: {"pk": w.evidence_b.pk},
    "campaigns:evidence_delete": lambda w: {"pk": w.evidence_b.pk},
    "campaigns:review_queue": lambda w: {},
    "campaigns:review": lambda w: {"pk": w.submission_b.pk},
    "campaigns:review_total": lambda w: {"pk": w.submission_b.pk},
    "campaigns:submission_history": lambda w: {"pk": w.submission_b.pk},
    "campaigns:submission_return": lambda w: {"pk": w.submission_b.pk},
    "campaigns:submission_accept": lambda w: {"pk": w.submission_b.pk},
    "campaigns:submission_reopen": lambda w: {"pk": w.submission_b.pk},
    "campaigns:answer_review": lambda w: {"pk": w.answer_b.pk},
    "campaigns:criterion_review": lambda w: {
        "pk": w.submission_b.pk,
        "criterion_pk": w.sheet.scored.pk,
    },
    "campaigns:block_scoring": lambda w: {"pk": w.submission_b.pk},
    "campaigns:block_total": lambda w: {"pk": w.submission_b.pk},
    "campaigns:block_confirm": lambda w: {"pk": w.submission_b.pk},
    "campaigns:criterion_block_score": lambda w: {
        "pk": w.submission_b.pk,
        "criterion_pk": w.sheet.scored.pk,
    },
    "campaigns:urging": lambda w: {"pk": w.period.pk},
    "campaigns:remind": lambda w: {"pk": w.period.pk},
    "campaigns:reopen_unit": lambda w: {"pk": w.period.pk, "unit_pk": w.unit_b.pk},
    "campaigns:registration": lambda w: {"campaign_pk": w.campaign.pk, "unit_pk": w.unit_b.pk},
    "campaigns:registration_list": lambda w: {"campaign_pk": w.campaign.pk},
    "campaigns:registrations_export": lambda w: {"campaign_pk": w.campaign.pk},
    "campaigns:individuals": lambda w: {"period_pk": w.period.pk, "unit_pk": w.unit_b.pk},
    "campaigns:individual_row": lambda w: {
        "period_pk": w.period.pk,
        "unit_pk": w.unit_b.pk,
        "person_pk": w.person_b.pk,
    },
    "campaigns:individuals_export": lambda w: {"period_pk": w.period.pk, "unit_pk": w.unit_b.pk},
    "campaigns:individuals_import": lambda w: {"period_pk": w.period.pk, "unit_pk": w.unit_b.pk},
    # Unit B's cluster's acclamation (open, unit B's ballot cast).
    "campaigns:acclamation": lambda w: _period_group(w),
    "campaigns:acclamation_open": lambda w: _period_group(w),
    "campaigns:acclamation_vote": lambda w: _period_group(w),
    "campaigns:acclamation_close": lambda w: _period_group(w),
    "campaigns:acclamation_minutes": lambda w: _period_group(w),
    "units:list": lambda w: {},
    "units:detail": lambda w: {"pk": w.unit_b.pk},
    "units:import_job": lambda w: {"pk": w.import_job_b.pk},
    "units:import_job_status": lambda w: {"pk": w.import_job_b.pk},
    "units:locked_accounts": lambda w: {},
    "units:unlock_account": lambda w: {},
    "password_reset": lambda w: {},
    "password_reset_done": lambda w: {},
    # Unit B's head, with a token that is not one: the page says the link is invalid.
    "password_reset_confirm": lambda w: {"uidb64": w.uidb64_b, "token": "abc-0123456789"},
    "password_reset_complete": lambda w: {},
    "admin_password_reset": lambda w: {},
    "campaigns:blocks": lambda w: {"period_pk": w.period.pk},
    "campaigns:block": lambda w: {"period_pk": w.period.pk, "group_pk": w.cluster_b.pk},
    "campaigns:adjustment_override": lambda w: {"pk": w.submission_b.pk, "kind": "late"},
    "reports:index": lambda w: {},
    "reports:campaign": lambda w: {"campaign_pk": w.campaign.pk},
    "reports:request": lambda w: {"campaign_pk": w.campaign.pk},
    "reports:detail": lambda w: {"pk": w.report.pk},
    "reports:status": lambda w: {"pk": w.report.pk},
    "reports:narrative": lambda w: {"pk": w.report.pk},
    "reports:finalise": lambda w: {"pk": w.report.pk},
    "reports:retry": lambda w: {"pk": w.report.pk},
    "reports:download_pdf": lambda w: {"pk": w.report.pk},
    "reports:download_xlsx": lambda w: {"pk": w.report.pk},
    # Unit B's cluster's documents (the minutes: no vote yet, so none).
    "reports:block_scoring_pdf": lambda w: _period_group(w),
    "reports:block_scoring_xlsx": lambda w: _period_group(w),
    "reports:block_minutes_pdf": lambda w: _period_group(w),
    "reports:block_minutes_xlsx": lambda w: _period_group(w),
}

# ---------------------------------------------------------------------------
# The admin: each registered model's object of unit B's world. A model registered
# later is missing here, so its pages fail the completeness test.

ADMIN_OBJECTS = {
    "auth.group": lambda w: w.group.pk,
    "units.unit": lambda w: w.unit_b.pk,
    "units.user": lambda w: w.users["head_b"].pk,
    "units.membership": lambda w: w.users["head_b"].memberships.get().pk,
    "units.person": lambda w: w.person_b.pk,
    "units.emulationgroup": lambda w: w.cluster_b.pk,
    "campaigns.campaign": lambda w: w.campaign.pk,
    "campaigns.title": lambda w: w.title.pk,
    "campaigns.criterion": lambda w: w.sheet.scored.pk,
    "campaigns.registration": lambda w: w.registration_b.pk,
    "campaigns.submission": lambda w: w.submission_b.pk,
    "campaigns.evidence": lambda w: w.evidence_b.pk,
    "campaigns.individualassessment": lambda w: w.assessment_b.pk,
    "campaigns.reminder": lambda w: w.reminder_b.pk,
    "campaigns.unittitle": lambda w: w.unit_title_b.pk,
    "campaigns.proposal": lambda w: w.proposal_b.pk,
    "reports.report": lambda w: w.report.pk,
    "awards.ruleset": lambda w: _rule_set(),
    "units.accountunlock": lambda w: w.unlock_b.pk,
    "axes.accessattempt": lambda w: w.access_attempt_b.pk,
    "axes.accesslog": lambda w: w.access_log_b.pk,
    "axes.accessfailurelog": lambda w: w.access_failure_b.pk,
}
# Models with the spreadsheet import and export pages (units.admin.SpreadsheetAdmin).
ADMIN_SPREADSHEETS = ("units.unit", "units.person", "campaigns.criterion")

ADMIN_KWARGS = {
    "admin:index": lambda w: {},
    "admin:login": lambda w: {},
    "admin:logout": lambda w: {},
    "admin:password_change": lambda w: {},
    "admin:password_change_done": lambda w: {},
    "admin:autocomplete": lambda w: {},
    "admin:jsi18n": lambda w: {},
    "admin:view_on_site": lambda w: {
        "content_type_id": _content_type(Unit),
        "object_id": w.unit_b.pk,
    },
    "admin:app_list": lambda w: {"app_label": "units"},
    "admin:auth_user_password_change": lambda w: {"id": w.users["head_b"].pk},
    "admin:campaigns_criterion_move": lambda w: {"pk": w.sheet.scored.pk, "direction": "up"},
    "admin:campaigns_campaign_year_texts": lambda w: {
        "pk": w.campaign.pk,
        "year": w.campaign.year - 1,
    },
}


def _rule_set() -> int:
    # Shipped by the awards migration: the ministry-wide data no unit owns.
    from awards.models import RuleSet

    return RuleSet.objects.get(code="RS-2025-07").pk


def _period_group(w) -> dict:
    return {"period_pk": w.period.pk, "group_pk": w.cluster_b.pk}


def _unit_criterion(w) -> dict:
    return {"period_pk": w.period.pk, "unit_pk": w.unit_b.pk, "criterion_pk": w.sheet.scored.pk}


def _content_type(model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def _admin_model_routes():
    routes = {}
    for label, object_pk in ADMIN_OBJECTS.items():
        app_label, model_name = label.split(".")
        base = f"admin:{app_label}_{model_name}"
        routes[f"{base}_changelist"] = lambda w: {}
        routes[f"{base}_add"] = lambda w: {}
        for view in ("history", "delete", "change"):
            routes[f"{base}_{view}"] = lambda w, pk=object_pk: {"object_id": pk(w)}
        # The unnamed redirect from <object_id>/ to <object_id>/change/.
        routes[f"admin/{app_label}/{model_name}/<path:object_id>/"] = lambda w, pk=object_pk: {
            "object_id": pk(w)
        }
        if label in ADMIN_SPREADSHEETS:
            routes[f"{base}_import"] = lambda w: {}
            routes[f"{base}_export"] = lambda w: {}
    return routes


ADMIN_KWARGS.update(_admin_model_routes())


def registered_admin_models() -> set[str]:
    return {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}


# ---------------------------------------------------------------------------
# What the sweep POSTs: a form that would be valid for unit B's own managers (or for
# an officer), so a refusal is the permission's and not the form's. Patterns not
# listed get an empty form (their POST has nothing to fill, or is the admin's).


def _evidence(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .hostile import PDF

    return {"file": SimpleUploadedFile("bien-ban.pdf", PDF)}


def _workbook(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .hostile import docx

    return {"file": SimpleUploadedFile("danh-gia.xlsx", docx()[1])}


def _row(w):
    person = w.person_b
    values = {
        "version": w.assessment_b.version,
        "grade": "good",
        "initiatives": "Sửa bởi người ngoài",
        "initiative_level": "",
        "initiative_decision": "",
        "discipline_level": "",
        "discipline_from": "",
        "discipline_to": "",
        "months_worked": 12,
        "notes": "Sửa bởi người ngoài",
        "proposed_title": "",
    }
    return {f"p{person.pk}-{key}": value for key, value in values.items()}


ATTACK = "Sửa bởi người ngoài"

POST_DATA = {
    "campaigns:answer_save": lambda w: {
        "version": w.answer_b.version,
        "self_score": "1",
        "narrative": ATTACK,
    },
    "campaigns:evidence_upload": _evidence,
    "campaigns:criterion_answer_save": lambda w: {
        "version": w.answer_b.version,
        "self_score": "1",
        "narrative": ATTACK,
    },
    "campaigns:criterion_evidence_upload": _evidence,
    "campaigns:acclamation_open": lambda w: {
        "flag_places": "1",
        "merit_places": "0",
        "candidate": [str(w.unit_b.pk)],
    },
    "campaigns:acclamation_vote": lambda w: {
        "unit": str(w.unit_b.pk),
        "candidate": [str(c) for c in w.acclamation_b.candidates.values_list("pk", flat=True)],
    },
    "campaigns:acclamation_close": lambda w: {"confirm": "1"},
    "campaigns:acclamation_minutes": lambda w: {"version": "2", "notes": ATTACK},
    "campaigns:criterion_review": lambda w: {
        "version": w.answer_b.version,
        "reviewer_score": "1",
        "reviewer_comment": ATTACK,
    },
    # Unit B's head has failed logins on record: an officer's unlock forgets them.
    "units:unlock_account": lambda w: {"username": w.users["head_b"].username},
    # The officer's change of a block score carries its reason.
    "campaigns:criterion_block_score": lambda w: {
        "version": w.answer_b.version,
        "block_score": "1",
        "block_comment": ATTACK,
        "reason": ATTACK,
    },
    "campaigns:answer_review": lambda w: {
        "version": w.answer_b.version,
        "reviewer_score": "1",
        "reviewer_comment": ATTACK,
    },
    "campaigns:submission_return": lambda w: {
        "reason": ATTACK,
        f"comment-{w.sheet.scored.pk}": ATTACK,
    },
    "campaigns:submission_reopen": lambda w: {"reopen_reason": ATTACK},
    "campaigns:remind": lambda w: {"unit": [w.unit_b.pk]},
    "campaigns:reopen_unit": lambda w: {"reason": ATTACK},
    "campaigns:registration": lambda w: {"commitments": ATTACK, "target_title": ""},
    "campaigns:individual_row": _row,
    "campaigns:individuals_import": _workbook,
    "reports:request": lambda w: {"period": w.period.pk},
    "campaigns:adjustment_override": lambda w: {"points": "-1", "reason": ATTACK},
    "reports:narrative": lambda w: {
        "strengths": ATTACK,
        "limitations": ATTACK,
        "next_tasks": ATTACK,
    },
    "reports:finalise": lambda w: {
        "number": "125",
        "issued_on": "05/02/2025",
        "signer_name": ATTACK,
    },
}
