"""The report as a PDF in the format of Decree 30/2020/NĐ-CP: render our own HTML
template, then let WeasyPrint lay it out with our stylesheet and fonts.

WeasyPrint may read only files under static/ (RestrictedURLFetcher): a report never
touches the network or the rest of the disk, whatever its text contains. Text typed
by users is autoescaped by the template, so markup in a narrative prints as text."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from . import wording
from .context import ReportContext, key_figures

STATIC_DIR = Path(settings.BASE_DIR) / "static"


def restricted_fetcher_class():
    """A WeasyPrint URLFetcher that loads file: URLs under static/ and nothing else."""
    from weasyprint.urls import URLFetcher

    class RestrictedURLFetcher(URLFetcher):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, allowed_protocols={"file"}, allow_redirects=False, **kwargs)

        def fetch(self, url, headers=None):
            if not is_allowed(url):
                raise ValueError(f"Refused to load {url!r}: only our static files are allowed.")
            return super().fetch(url, headers)

    return RestrictedURLFetcher


def is_allowed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return path.is_relative_to(STATIC_DIR.resolve()) and path.is_file()


def render_html(report, context: ReportContext, charts: dict[str, str]) -> str:
    """The print HTML: one template per kind, in Vietnamese whatever the user's language."""
    with translation.override("vi"):
        return render_to_string(
            f"reports/pdf/{report.kind}.html",
            {
                "report": report,
                "c": context,
                "charts": charts,
                "doc": letterhead(report),
                "narrative": wording.narrative(report, key_figures(context)),
            },
        )


def render_pdf(report, context: ReportContext, charts: dict[str, str]) -> bytes:
    """The PDF bytes of one build."""
    from weasyprint import HTML

    html = render_html(report, context, charts)
    fetcher = restricted_fetcher_class()(timeout=2)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf()


def letterhead(report) -> dict:
    """Who issues the report and where (settings.REPORT_*)."""
    return {
        "place": settings.REPORT_PLACE,
        "issuer": settings.REPORT_ISSUER,
        "number": f"{report.number or '…'}/BC-{settings.REPORT_ISSUER_ABBR}",
        "date_line": wording.date_line(settings.REPORT_PLACE, report.issued_on),
        "signer_title": settings.REPORT_SIGNER_TITLE,
        "recipients": settings.REPORT_RECIPIENTS,
        "nation": wording.NATION,
        "motto": wording.MOTTO,
        "subject": wording.KIND_SUBJECT.get(report.kind, ""),
        "outstanding_rule": wording.OUTSTANDING_RULE,
        "draft_note": wording.DRAFT_NOTE,
    }
