"""Emulation blocks and clusters at work in a movement (domain.md §3.3): the block's
verified scores of its members' sheets, the adjustments, the ranking and bands, the
acclamation vote and its proposals, the block's documents.

- options: the movement's block rules and bands, with their defaults.
- standings: a block's members with their block totals, adjustments, rank and band
  (pure ranking over plain rows, and the one loader that fetches them).
"""
