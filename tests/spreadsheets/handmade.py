"""Workbooks written by hand, part by part: a few hundred bytes of zip that describe
ten million blank rows, a dimension that lies, or a part that unpacks to far more
than the file's size. openpyxl would take minutes to write what they claim."""

import zipfile
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE}.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<workbook xmlns="{NS}" xmlns:r="{REL}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _cell(ref: str, value) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def row_xml(number: int, values=()) -> str:
    cells = "".join(_cell(f"{chr(65 + index)}{number}", v) for index, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(rows: str, dimension: str | None = None, *, tail: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{dim}'
        f"<sheetData>{rows}</sheetData>{tail}</worksheet>"
    )


def workbook(
    sheet: str,
    *,
    name: str = "handmade.xlsx",
    extra: dict | None = None,
    second_sheet: bool = False,
):
    """An uploaded .xlsx whose first sheet is this XML (compressed: the blank rows
    of a ten-million-row sheet pack into a few kilobytes). With second_sheet, the
    workbook lists xl/worksheets/sheet2.xml (given in extra) as its second sheet."""
    book, rels = WORKBOOK, WORKBOOK_RELS
    if second_sheet:
        book = book.replace("</sheets>", '<sheet name="Sheet2" sheetId="2" r:id="rId2"/></sheets>')
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rId2" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/>'
            "</Relationships>",
        )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for part, content in (extra or {}).items():
            archive.writestr(part, content)
    return SimpleUploadedFile(name, buffer.getvalue())


def blank_rows(header, count: int, *, every: int = 1, dimension: str | None = None):
    """A header row, then `count` rows r=2, 2+every, ... with no cells."""
    rows = row_xml(1, header) + "".join(
        f'<row r="{number}"/>' for number in range(2, 2 + count * every, every)
    )
    return workbook(sheet_xml(rows, dimension))
