"""Commendation: multi-year records, dated rule sets, the eligibility engine (and, to
come, nominations, the council's ballot, decisions and certificates).

- parameters: the rule set's parameters (eligibility.md §5) as a frozen value with
  their defaults, what the pure engine reads.
- models/: the rule sets as data (RuleSet, VotingThreshold); data/ the two that ship.
- rulesets: the rule set in force on a date, or named.
- records: a person's or a collective's record from and to the JSON of eligibility.md.
- eligibility: the pure engine, record + rule set + title + year + as-of → verdict,
  every rule checked with its reason; sentences: the reasons' Vietnamese wording.
- management/commands/eligibility: `manage.py eligibility`, single and --batch.
"""
