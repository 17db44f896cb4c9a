"""The shared XLSX layer every app uses; it depends on no app of the project (only
Django and openpyxl), so units, campaigns and reports all import it.

- `specs`: a sheet declared as columns (`SheetSpec`, `Column`, the cell kinds);
  `import_workbook` counts every physical row, measures the file against the limits
  before openpyxl loads it, validates every row and saves all or none (listing every
  bad row); `export_workbook` writes the same columns, so an export imports back.
- `writer`: the one way a workbook and its cells are made, so typed text is always
  text and never a formula.

The sheets themselves live with their models (units/importers.py,
campaigns/movement/criteria_sheet.py, ...); the background-job path is
units.imports.
"""
