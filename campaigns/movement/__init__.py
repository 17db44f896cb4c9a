"""The movement and its criteria: `lifecycle` (the only writer of Campaign.status),
`criteria_tree` (the tree of contents, tasks and criteria, numbered and checked),
`criteria_sheet` (the criteria as an XLSX sheet), `copying` (a movement copied to a
new year) and `year_texts` (the old year named in copied texts), `registration` and
`forms` (a unit's registration for the movement, its commitments and titles)."""
