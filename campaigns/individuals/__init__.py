"""The year-end assessments of a unit's people: `assessments` (grades, titles proposed
and leader criteria, saved one row at a time or from an XLSX sheet, in the request or
as a background import) and `forms` (a row of the table, the import form)."""
