"""Report pages: the movements with their builds, one build's page (status polled
with htmx, narrative, finalisation), and the permission-checked downloads.

A report outside the user's reach does not exist for them (404); a page their role
does not allow answers 403."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.enums import CampaignStatus
from campaigns.models import Campaign, Period
from units.forms import removed_controls_notice
from units.models import EmulationGroup
from units.scope import get_visible_or_404, require, visible_or_404

from . import block_documents, block_files, services, wording
from .forms import FinaliseForm, NarrativeForm, RequestForm
from .models import Report

DETAIL_TEMPLATE = "reports/report_detail.html"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _get_report(request, pk: int) -> Report:
    return get_visible_or_404(
        Report.objects.with_stalled(timezone.now()).select_related(
            "campaign", "period", "requested_by", "finalised_by"
        ),
        request.user,
        pk=pk,
    )


@login_required
@require_GET
def index(request):
    """Every movement the user sees (not a draft, for leadership) with its periods
    and how many builds each has."""
    require(request.user, "reports.list_reports")
    periods = (
        Period.objects.filter(campaign__in=Campaign.objects.visible_to(request.user))
        .select_related("campaign")
        .annotate(builds=Count("reports"), last_build=Max("reports__requested_at"))
        .order_by("-campaign__year", "campaign__name", "campaign_id", "opens_on")
    )
    return TemplateResponse(request, "reports/report_index.html", {"periods": periods})


@login_required
@require_GET
def campaign_reports(request, campaign_pk: int):
    """The history of every build of a movement's reports, newest first, and the form
    to ask for a new one."""
    require(request.user, "reports.list_reports")
    campaign = get_visible_or_404(Campaign, request.user, pk=campaign_pk)
    reports = (
        Report.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("period", "requested_by")
        .order_by("-requested_at", "-pk")
    )
    return TemplateResponse(
        request,
        "reports/report_list.html",
        {"campaign": campaign, "reports": reports, "form": RequestForm(campaign=campaign)},
    )


@login_required
@require_POST
def request_build(request, campaign_pk: int):
    require(request.user, "reports.request_report")
    campaign = get_visible_or_404(Campaign, request.user, pk=campaign_pk)
    form = RequestForm(request.POST, campaign=campaign)
    if not form.is_valid():
        messages.error(request, _("Choose a period of this movement."))
        return redirect("reports:campaign", campaign_pk=campaign.pk)
    period = form.cleaned_data["period"]
    try:
        report = services.request_report(campaign, period, period.kind, by=request.user)
    except services.BuildUnderWay as exc:  # a double click: show the build under way
        messages.info(request, str(exc))
        return redirect("reports:detail", pk=exc.report.pk)
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:campaign", campaign_pk=campaign.pk)
    messages.success(request, _("The report is queued; this page shows its progress."))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_GET
def detail(request, pk: int):
    report = _get_report(request, pk)
    context = {"report": report}
    if request.user.has_perm("reports.change_report", report):
        context["narrative_form"] = NarrativeForm(initial=_narrative_initial(report))
        context["finalise_form"] = FinaliseForm()
    return TemplateResponse(request, DETAIL_TEMPLATE, context)


@login_required
@require_GET
def status(request, pk: int):
    """The status fragment the detail page polls every 2 s while the build runs; once
    it ends, the whole page reloads to show the files and the forms."""
    report = _get_report(request, pk)
    response = TemplateResponse(request, f"{DETAIL_TEMPLATE}#status", {"report": report})
    if request.GET.get("polling") and not report.is_active:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def narrative(request, pk: int):
    report = _get_report(request, pk)
    require(request.user, "reports.change_report", report)
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        return _invalid(request, report, narrative_form=form)
    try:
        services.save_narrative(report, **form.cleaned_data, by=request.user)
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved. The report is being rendered with your text."))
        notice = removed_controls_notice(form)
        if notice:
            messages.info(request, notice)
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def finalise(request, pk: int):
    report = _get_report(request, pk)
    require(request.user, "reports.finalise_report", report)
    form = FinaliseForm(request.POST)
    if not form.is_valid():
        return _invalid(request, report, finalise_form=form)
    try:
        services.finalise(report, **form.cleaned_data, by=request.user)
    except services.ReportError as exc:
        if exc.field is None:
            messages.error(request, str(exc))
            return redirect("reports:detail", pk=report.pk)
        form.add_error(exc.field, str(exc))  # shown beside what was typed
        return _invalid(request, report, finalise_form=form)
    messages.success(request, _("The report is final; its official version is rendering."))
    notice = removed_controls_notice(form)
    if notice:
        messages.info(request, notice)
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def retry(request, pk: int):
    """Build a failed report again, or queue again a stalled one at once; a second
    click is told the build is already queued again."""
    report = _get_report(request, pk)
    require(request.user, "reports.request_report", report)
    try:
        services.retry_report(report, by=request.user)
    except services.ReportError as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, _("The build is queued again; this page shows its progress."))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_GET
def download(request, pk: int, fmt: str):
    report = _get_report(request, pk)
    require(request.user, "reports.download_report", report)
    stored = report.pdf if fmt == "pdf" else report.xlsx
    if not stored:
        raise Http404(_("This build has no file yet."))
    name = wording.file_name(report.kind, report.campaign.year, fmt)
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt]
    )


def _invalid(request, report, **forms):
    context = {
        "report": report,
        "narrative_form": NarrativeForm(initial=_narrative_initial(report)),
        "finalise_form": FinaliseForm(),
        **forms,
    }
    return TemplateResponse(request, DETAIL_TEMPLATE, context, status=400)


def _narrative_initial(report: Report) -> dict:
    """The officer's text, or a first draft from the key figures."""
    sections = wording.narrative(report, report.figures)
    return {name: section["text"] for name, section in sections.items()}


# A block's or cluster's documents (reports.block_documents): built on the request,
# synchronously, for whoever sees the block (campaigns.view_block); 404 for anyone
# else, as for a block that does not exist.

BLOCK_DOCUMENTS = {
    "scoring": "Bảng điểm",
    "minutes": "Biên bản họp",
}


def _block_and_period(request, period_pk: int, group_pk: int):
    """The block and the period of its year; Http404 outside the user's reach."""
    group = get_object_or_404(
        EmulationGroup.objects.select_related("head_unit", "deputy_unit"), pk=group_pk
    )
    visible_or_404(request.user, "campaigns.view_block", group)
    period = get_object_or_404(
        Period.objects.select_related("campaign__organizer"),
        pk=period_pk,
        campaign__year=group.year,
    )
    public = period.campaign.status in (CampaignStatus.LAUNCHED, CampaignStatus.CLOSED)
    if not public and not request.user.has_perm("campaigns.view_draft_campaigns"):
        raise Http404
    return group, period


def _attachment(content: bytes, names: tuple[str, str], fmt: str) -> HttpResponse:
    """The file as a download: its ASCII name for every browser, and its Vietnamese
    name as UTF-8 (RFC 6266 filename*) for those that read it."""
    ascii_name, readable = names
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(readable, safe='')}"
    )
    return response


@login_required
@require_GET
def block_scoring(request, period_pk: int, group_pk: int, fmt: str):
    """The block's scoring table, as PDF or XLSX."""
    group, period = _block_and_period(request, period_pk, group_pk)
    table = block_documents.scoring_table(group, period, today=timezone.localdate())
    content = block_files.scoring_pdf(table) if fmt == "pdf" else block_files.scoring_xlsx(table)
    names = block_documents.file_names(group, period, BLOCK_DOCUMENTS["scoring"], fmt)
    return _attachment(content, names, fmt)


@login_required
@require_GET
def block_minutes(request, period_pk: int, group_pk: int, fmt: str):
    """The minutes of the block's conference, once its acclamation is closed; before,
    a page saying so (404: there are no minutes yet, and no counts)."""
    group, period = _block_and_period(request, period_pk, group_pk)
    acclamation = block_documents.closed_acclamation(group, period)
    if acclamation is None:
        return TemplateResponse(
            request,
            "reports/block_minutes_pending.html",
            {"group": group, "period": period},
            status=404,
        )
    content = block_documents.minutes(group, period, acclamation)
    data = block_files.minutes_pdf(content) if fmt == "pdf" else block_files.minutes_xlsx(content)
    names = block_documents.file_names(group, period, BLOCK_DOCUMENTS["minutes"], fmt)
    return _attachment(data, names, fmt)
