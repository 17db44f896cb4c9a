"""One measured build of the latest year-end report in the database DATABASE_URL
points at (seeded by `manage.py seed_scale`). Prints one JSON line.

Run by run_report_bench.py in a fresh process, so that the peak resident memory
(getrusage ru_maxrss) is the build's and nothing else's."""

import io
import json
import os
import resource
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)  # WeasyPrint logs every step at INFO
    from pypdf import PdfReader

    from campaigns.enums import PeriodKind
    from campaigns.models import Period
    from reports import builder, charts
    from reports.context import build_context
    from reports.models import Report
    from reports.pdf import render_pdf
    from reports.xlsx import render_xlsx

    period = (
        Period.objects.filter(kind=PeriodKind.YEAR_END, campaign__organizer__code="scale-bo")
        .select_related("campaign")
        .latest("due_on")
    )
    baseline = rss_mb()

    report = Report.objects.create(
        campaign=period.campaign, period=period, kind=period.kind, task_id=str(uuid.uuid4())
    )
    started = time.perf_counter()
    outcome = builder.run_build(report.pk, report.task_id)
    total = time.perf_counter() - started
    peak = rss_mb()
    report.refresh_from_db()
    if outcome != "built":
        raise SystemExit(f"The build did not complete: {outcome} {report.error}")

    # The phases, once more, one by one.
    report = Report.objects.select_related("campaign__organizer", "period").get(pk=report.pk)
    phases = {}
    t = time.perf_counter()
    context = build_context(report)
    phases["context"] = time.perf_counter() - t
    t = time.perf_counter()
    drawn = {"on_time": charts.on_time_chart(context), "contents": charts.content_chart(context)}
    phases["charts"] = time.perf_counter() - t
    t = time.perf_counter()
    pdf = render_pdf(report, context, drawn)
    phases["pdf"] = time.perf_counter() - t
    t = time.perf_counter()
    render_xlsx(context)
    phases["xlsx"] = time.perf_counter() - t

    print(
        json.dumps(
            {
                "units": context.participants,
                "groups": len(context.groups),
                "people": context.assessed,
                "total_s": round(total, 2),
                "phases_s": {k: round(v, 2) for k, v in phases.items()},
                "baseline_rss_mb": round(baseline, 1),
                "peak_rss_mb": round(peak, 1),
                "pdf_pages": len(PdfReader(io.BytesIO(pdf)).pages),
                "pdf_kb": round(report.pdf_size / 1024),
                "xlsx_kb": round(report.xlsx_size / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
