"""Emulation blocks and clusters at work in a movement (domain.md §3.3): the block's
verified scores of its members' sheets, the adjustments, the ranking and bands, the
acclamation vote and its proposals, the block's documents.

- options: the movement's block rules and bands, with their defaults.
- scoring: the block's score and comment on each criterion of a member's sent sheet
  (save_block_score_for, why_not_scored), the Department's changes with a reason.
- standings: a block's members with their block totals, adjustments, rank and band
  (pure ranking over plain rows, and the one loader that fetches them).
"""
