"""A unit's self-assessment sheet and its workflow: `answers` (saving an answer under
the sheet's row lock), `evidence/` (checking an uploaded file), `workflow` (submit,
withdraw, return, accept, reopen: the only writer of Submission.state), `scoring`
(scores parsed, totalled and ranked), `queries` (the sheet and the officers' lists as
pages read them), `forms`, `notifications` (the workflow's emails) and `reminders`
(the daily reminders to units still missing)."""
