"""Hostile files, generated in memory and small (the largest is the 20 MB one, made
of zeros): each is what an attacker would upload to an evidence or import field.

Each function returns (file name, bytes)."""

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX_TYPES = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_TYPES = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Biên bản</w:t></w:r></w:p></w:body></w:document>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def _content_types(main: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/>{extra}</Types>'
    )


def _docx(*, main: str = DOCX_TYPES, parts: dict | None = None, extra_types: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(main, extra_types))
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx() -> tuple[str, bytes]:
    """A plain, harmless Word document (the control: it is accepted)."""
    return "bien-ban.docx", _docx()


def zip_bomb_docx(unpacked_mb: int = 64) -> tuple[str, bytes]:
    """A .docx of ~64 KB whose media part unpacks to 64 MB of zeros (1000×)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _content_types(DOCX_TYPES))
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        with archive.open("word/media/image1.bin", "w", force_zip64=True) as part:
            chunk = bytes(1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(chunk)
    return "bao-cao.docx", buffer.getvalue()


def zip_bomb_xlsx(unpacked_mb: int = 64) -> tuple[str, bytes]:
    """A real workbook with a media part of 64 MB of zeros (1000× its size)."""
    workbook = Workbook()
    workbook.active.append(["Biên bản"])
    source = io.BytesIO()
    workbook.save(source)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source.getvalue())) as original,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
    ):
        for item in original.infolist():
            archive.writestr(item.filename, original.read(item.filename))
        with archive.open("xl/media/image1.bin", "w", force_zip64=True) as part:
            chunk = bytes(1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(chunk)
    return "so-lieu.xlsx", out.getvalue()


def pdf_with_javascript() -> tuple[str, bytes]:
    """A PDF that runs JavaScript when opened (/OpenAction) and carries a /JS action."""
    body = (
        b"%PDF-1.4\n"
        b"1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"4 0 obj<</S/JavaScript/JS(app.alert\\('1'\\);)>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return "ke-hoach.pdf", body


def png() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def png_named_pdf() -> tuple[str, bytes]:
    return "bien-ban.pdf", png()


def _xlsx(sheet_xml: str) -> bytes:
    """An .xlsx whose first sheet's XML is replaced by sheet_xml."""
    workbook = Workbook()
    workbook.active.append(["-"])
    source = io.BytesIO()
    workbook.save(source)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source.getvalue())) as original,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for item in original.infolist():
            content = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = sheet_xml.encode()
            archive.writestr(item.filename, content)
    return out.getvalue()


SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _row(number: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for i, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def xlsx_ten_million_rows(header: list[str]) -> tuple[str, bytes]:
    """A few KB declaring ten million rows: the import's header, one data row, and a
    last row ten million rows down. A reader that walks the blank rows walks them all."""
    last = 10_000_000
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {SHEET_NS}>'
        f'<dimension ref="A1:{_column(len(header) - 1)}{last}"/><sheetData>'
        f"{_row(1, header)}{_row(2, ['x'] * len(header))}{_row(last, ['x'])}"
        "</sheetData></worksheet>"
    )
    return "don-vi.xlsx", _xlsx(sheet)


def xlsx_billion_laughs(header: list[str]) -> tuple[str, bytes]:
    """Nested XML entities in the import's data row: a few hundred bytes declaring
    gigabytes of text."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [{entities}]>'
        f"<worksheet {SHEET_NS}><sheetData>{_row(1, header)}"
        f"{_row(2, ['&lol9;'] * len(header))}</sheetData></worksheet>"
    )
    return "don-vi.xlsx", _xlsx(sheet)


def encrypted_docx() -> tuple[str, bytes]:
    """A Word document saved with a password (ECMA-376 agile encryption in an OLE file)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    source = io.BytesIO(_docx())
    out = io.BytesIO()
    OOXMLFile(source).encrypt("mat-khau", out)
    return "bao-mat.docx", out.getvalue()


def macro_docx() -> tuple[str, bytes]:
    """A macro-enabled document (.docm: a VBA project) renamed .docx."""
    content = _docx(
        main=DOCM_TYPES,
        parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)},
        extra_types=(
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        ),
    )
    return "bien-ban.docx", content


def traversal_pdf() -> tuple[str, bytes]:
    """A valid PDF whose name climbs out of the upload folder."""
    return "../../etc/passwd.pdf", PDF


def empty_file() -> tuple[str, bytes]:
    return "trong.pdf", b""


def over_20_mb() -> tuple[str, bytes]:
    return "lon.pdf", PDF[:-6] + bytes(20 * 1024 * 1024) + b"%%EOF\n"


EVIDENCE = {
    "zip-bomb-docx": zip_bomb_docx,
    "zip-bomb-xlsx": zip_bomb_xlsx,
    "pdf-javascript": pdf_with_javascript,
    "encrypted-docx": encrypted_docx,
    "macro-docx": macro_docx,
    "empty": empty_file,
    "over-20-mb": over_20_mb,
}
# Each takes the import's header row (so the file gets past the header check).
IMPORTS = {
    "ten-million-rows": xlsx_ten_million_rows,
    "billion-laughs": xlsx_billion_laughs,
    "zip-bomb": lambda header: zip_bomb_docx(),
    "encrypted": lambda header: encrypted_docx(),
    "macro": lambda header: macro_docx(),
    "png-named-pdf": lambda header: png_named_pdf(),
    "traversal": lambda header: traversal_pdf(),
    "empty": lambda header: empty_file(),
    "over-20-mb": lambda header: over_20_mb(),
}
