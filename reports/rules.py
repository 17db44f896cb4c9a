"""Who may read and build the ministry's reports: django-rules predicates.

Officers (and administrators) ask for builds, write the narrative and finalise;
leadership reads and downloads; units, block heads and council members do not see
that the reports exist (the pages answer 404 for a report, 403 for a list)."""

import rules

from units.rules import is_admin, is_emulation_officer, is_leadership


@rules.predicate
def is_final(user, report) -> bool:
    return report is not None and report.is_final


manages_reports = is_admin | is_emulation_officer
reads_reports = manages_reports | is_leadership

rules.add_perm("reports.list_reports", reads_reports)
rules.add_perm("reports.view_report", reads_reports)
rules.add_perm("reports.download_report", reads_reports)
rules.add_perm("reports.request_report", manages_reports)
rules.add_perm("reports.change_report", manages_reports & ~is_final)
rules.add_perm("reports.finalise_report", manages_reports & ~is_final)
