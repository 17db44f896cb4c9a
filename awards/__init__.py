"""Commendation: multi-year records, dated rule sets, the eligibility engine (and, to
come, nominations, the council's ballot, decisions and certificates).

- parameters: the rule set's parameters (eligibility.md §5) as a frozen value with
  their defaults, what the pure engine reads.
"""
