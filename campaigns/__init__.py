"""Emulation movements: the movement and its criteria, each unit's sheet, the people's
assessments.

The Django-conventional modules sit here (models/, views/, admin.py, urls.py,
tasks.py, rules.py, enums.py, templatetags/, management/, migrations/, demo/, data/);
the domain logic that views, tasks and admin all call is grouped by concern:

- movement/: a movement's lifecycle (launch, close, reopen), its criteria tree and
  the criteria sheet (XLSX), copying it to a new year and the year named in its texts,
  the units' registrations for it.
- sheets/: a unit's self-assessment sheet and its workflow: answers and evidence
  files, submit/return/accept/reopen, scoring, the sheet's queries, the emails and
  reminders.
- individuals/: the year-end assessments of a unit's people, one by one or from a
  sheet.
- blocks/: blocks and clusters at work: the block's scores of its members' sheets,
  the adjustments, the standings (ranking, tie-break, bands), the acclamation vote and
  its proposals.
"""
