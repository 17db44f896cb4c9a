"""Hostile files, made in the test: each function returns the bytes of one file.

The evidence tests (tests/campaigns/test_evidence.py) and the security
specifications (tests/security/) upload these through every upload field.
`HOSTILE_UPLOADS` lists every file the product must refuse, with a name to upload it
under and a fragment of the reason the refusal gives (English source text: use the
`english` fixture, or compare with the translated text).

PDFs are written by hand (`pdf()`) so that each one holds exactly the construct it
tests; Office files are minimal real .docx/.xlsx packages written with zipfile.
"""

import functools
import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

MB = 1024 * 1024

# ---------------------------------------------------------------------------- PDF


def pdf(objects: list[bytes], *, version: bytes = b"1.7", trailer: bytes = b"") -> bytes:
    """A PDF whose object N is objects[N-1] (object 1 is the catalog), with a
    classic cross-reference table at the right offsets."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref_at,
    )
    return bytes(out)


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), entries, data)


def _one_page(catalog: bytes = b"", page: bytes = b"", extra: list[bytes] = ()) -> bytes:
    """Catalog (1), page tree (2), a page (3) showing a line of text (4, 5), then
    `extra` objects from 6 on."""
    text = b"BT /F1 24 Tf 72 760 Td (Bien ban hop) Tj ET"
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> " + page + b">>",
            _stream(text),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *extra,
        ]
    )


def clean_pdf() -> bytes:
    """A one-page PDF with nothing active in it."""
    return _one_page()


def pdf_with_harmless_actions() -> bytes:
    """Opens at its first page (an /OpenAction destination, as Word writes), has a
    web link and a bookmark to the page: all accepted."""
    return _one_page(
        catalog=b"/OpenAction [3 0 R /Fit] /Outlines 7 0 R ",
        page=b"/Annots [6 0 R] ",
        extra=[
            b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] "
            b"/A << /S /URI /URI (https://example.gov.vn/) >> >>",
            b"<< /Type /Outlines /First 8 0 R /Last 8 0 R /Count 1 >>",
            b"<< /Title (Trang 1) /Parent 7 0 R /A << /S /GoTo /D [3 0 R /Fit] >> >>",
        ],
    )


JS = b"(app.alert\\('x'\\))"


def pdf_open_action_javascript() -> bytes:
    return _one_page(catalog=b"/OpenAction << /S /JavaScript /JS " + JS + b" >> ")


def pdf_names_javascript() -> bytes:
    """Document-level JavaScript (run when the file opens) in the /Names tree."""
    return _one_page(
        catalog=b"/Names << /JavaScript << /Names [(init) 6 0 R] >> >> ",
        extra=[b"<< /S /JavaScript /JS " + JS + b" >>"],
    )


def pdf_hex_escaped_javascript() -> bytes:
    """/OpenAction << /S /JavaScript /JS … >> with its names written as hex escapes."""
    return _one_page(catalog=b"/Open#41ction << /S /J#61v#61Script /J#53 " + JS + b" >> ")


def pdf_page_additional_actions() -> bytes:
    """A page that prints itself when it is shown (/AA /O), no JavaScript."""
    return _one_page(page=b"/AA << /O << /S /Named /N /Print >> >> ")


def pdf_field_javascript() -> bytes:
    """A form field whose keystroke action is JavaScript (a widget's /AA)."""
    return _one_page(
        catalog=b"/AcroForm << /Fields [6 0 R] >> ",
        page=b"/Annots [6 0 R] ",
        extra=[
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (diem) /Rect [72 600 200 620] "
            b"/P 3 0 R /AA << /K << /S /JavaScript /JS " + JS + b" >> >> >>"
        ],
    )


def pdf_launch() -> bytes:
    """A link that starts a program."""
    return _one_page(
        page=b"/Annots [6 0 R] ",
        extra=[
            b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] "
            b"/A << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >> >>"
        ],
    )


def pdf_open_action_uri() -> bytes:
    """Opens a web page by itself when the file is opened."""
    return _one_page(catalog=b"/OpenAction << /S /URI /URI (https://attacker.example/) >> ")


def pdf_embedded_file() -> bytes:
    """An attached program, which would escape the type check."""
    return _one_page(
        catalog=b"/Names << /EmbeddedFiles << /Names [(setup.exe) 6 0 R] >> >> ",
        extra=[
            b"<< /Type /Filespec /F (setup.exe) /EF << /F 7 0 R >> >>",
            _stream(b"MZ\x90\x00", b"/Type /EmbeddedFile "),
        ],
    )


def pdf_xfa() -> bytes:
    """An XFA form (its scripts are XML inside a stream)."""
    return _one_page(
        catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >> ",
        extra=[_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")],
    )


def pdf_javascript_in_object_stream(*, padding: int = 0) -> bytes:
    """PDF 1.5: the catalog, carrying an /OpenAction JavaScript, sits compressed in
    an object stream, and the cross-reference is itself a stream; a byte search of
    the file finds no /JavaScript. `padding` spaces after the objects make the
    object stream inflate to that much more."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS " + JS + b" >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    header, data = b"", b""
    for number, body in enumerate(bodies, start=1):
        header += b"%d %d " % (number, len(data))
        data += body + b"\n"
    compressor = zlib.compressobj()
    packed = compressor.compress(header + data)
    for _ in range(padding // MB):
        packed += compressor.compress(b" " * MB)
    packed += compressor.flush()
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += b"4 0 obj\n%s\nendobj\n" % _stream(
        packed, b"/Type /ObjStm /N 3 /First %d /Filter /FlateDecode " % len(header)
    )
    xref_at = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 2, 4, index) for index in range(3)]
    rows += [struct.pack(">BIH", 1, stream_at, 0), struct.pack(">BIH", 1, xref_at, 0)]
    out += b"5 0 obj\n%s\nendobj\n" % _stream(
        b"".join(rows), b"/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R "
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def pdf_object_stream_bomb() -> bytes:
    """An object stream that inflates to 64 MB (from about 64 kB)."""
    return pdf_javascript_in_object_stream(padding=64 * MB)


def pdf_unreferenced_javascript() -> bytes:
    """A JavaScript action in an object nothing points to: only a byte search
    (or a viewer rebuilding a damaged file) finds it."""
    return _one_page(extra=[b"<< /S /JavaScript /JS " + JS + b" >>"])


def pdf_with_password(*, user_password: str = "secret") -> bytes:
    """clean_pdf() encrypted by pypdf; with user_password="" it opens without one
    (only printing or copying is restricted, an "owner password")."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(clean_pdf())))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def damaged_pdf() -> bytes:
    """Starts like a PDF; nothing after can be read as one."""
    return b"%PDF-1.7\n" + os.urandom(4096)


def pdf_of_many_objects(count: int) -> bytes:
    """A valid PDF whose page carries `count` small annotations."""
    annotations = [b"<< /Type /Annot /Subtype /Square /Rect [0 0 1 1] >>"] * count
    kids = b" ".join(b"%d 0 R" % number for number in range(6, 6 + count))
    return _one_page(page=b"/Annots [" + kids + b"] ", extra=annotations)


# ------------------------------------------------------------------------- Office

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MAIN_XML = {
    "docx": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Bien ban</w:t></w:r></w:p></w:body></w:document>",
    "xlsx": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheets/></workbook>",
}


def _content_types(kind: str, overrides: dict[str, str]) -> bytes:
    parts = {f"/{MAIN_PART[kind]}": CONTENT_TYPES[kind], **overrides}
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="{name}" ContentType="{content_type}"/>'
            for name, content_type in parts.items()
        )
        + "</Types>"
    ).encode()


def _rels(kind: str) -> bytes:
    kind_url = {"docx": "officeDocument", "xlsx": "officeDocument"}[kind]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/{kind_url}" Target="{MAIN_PART[kind]}"/></Relationships>'
    ).encode()


def _office(kind: str, archive: zipfile.ZipFile, overrides: dict[str, str] | None = None):
    archive.writestr("[Content_Types].xml", _content_types(kind, overrides or {}))
    archive.writestr("_rels/.rels", _rels(kind))
    archive.writestr(MAIN_PART[kind], MAIN_XML[kind])


def office(kind: str = "docx", parts: dict[str, bytes] | None = None, **kwargs) -> bytes:
    """A minimal real .docx or .xlsx, with `parts` added (deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _office(kind, archive, **kwargs)
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


@functools.cache
def zip_bomb(kind: str = "docx", unpacked: int = 300 * MB) -> bytes:
    """A real .docx (or .xlsx) one of whose parts is `unpacked` bytes of zeros,
    deflated (about a thousandth of that on disk); the central directory tells the
    truth. 300 MB takes about a second to write: tests wanting only the ratio
    limit (100 times the file's size) pass a few MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _office(kind, archive)
        folder = MAIN_PART[kind].split("/")[0]
        with archive.open(f"{folder}/media/image1.bin", "w") as part:
            chunk = bytes(MB)
            for _ in range(unpacked // MB):
                part.write(chunk)
            part.write(bytes(unpacked % MB))
    return buffer.getvalue()


def _central_entry(content: bytes, name: str) -> int:
    """Where the central directory's record of `name` starts (APPNOTE 4.3.12)."""
    end = content.rfind(b"PK\x05\x06")
    (at,) = struct.unpack_from("<I", content, end + 16)
    while content[at : at + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", content, at + 28)
        if content[at + 46 : at + 46 + name_length] == name.encode():
            return at
        at += 46 + name_length + extra_length + comment_length
    raise LookupError(name)


def _patch_entry(content: bytes, name: str, **fields: int) -> bytes:
    """Rewrite the CRC and sizes of one entry, in its local header and in the
    central directory, as a crafted file would (offsets per APPNOTE 4.3.7, 4.3.12)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        local = archive.getinfo(name).header_offset
    central = _central_entry(content, name)
    content = bytearray(content)
    for field, (local_at, central_at) in {
        "crc": (14, 16),
        "compressed": (18, 20),
        "unpacked": (22, 24),
    }.items():
        if field in fields:
            struct.pack_into("<I", content, local + local_at, fields[field])
            struct.pack_into("<I", content, central + central_at, fields[field])
    return bytes(content)


def zip_bomb_declared(kind: str = "docx", declared: int = 250 * MB) -> bytes:
    """About 3 MB (so 100 times its size is 300 MB) whose directory says one part
    unpacks to `declared` bytes: refused from the declared sizes alone, for the
    200 MB limit, without writing 200 MB."""
    folder = MAIN_PART[kind].split("/")[0]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # stored: a photo, incompressible
        _office(kind, archive)
        archive.writestr(f"{folder}/media/image1.jpeg", os.urandom(3 * MB))
        archive.writestr(f"{folder}/media/small.xml", b"<x/>")
    return _patch_entry(buffer.getvalue(), f"{folder}/media/small.xml", unpacked=declared)


def zip_lying_sizes(*, real: int = 5 * MB, declared: int = 1024) -> bytes:
    """A .docx whose part says (in both headers, with the matching CRC) it holds
    `declared` bytes while its deflated data goes on to `real` bytes of zeros:
    zipfile, trusting the sizes, reads `declared` bytes and finds the CRC right."""
    data = bytes(real)
    content = office("docx", {"word/media/image1.bin": data})
    return _patch_entry(
        content,
        "word/media/image1.bin",
        unpacked=declared,
        crc=zlib.crc32(data[:declared]),
    )


def docx_with_renamed_macros() -> bytes:
    """A macro-enabled document whose VBA project part is not named vbaProject.bin:
    Word finds it by its content type."""
    return office(
        "docx",
        {"word/extra.bin": b"\xcc" * 512},
        overrides={
            "/word/document.xml": "application/vnd.ms-word.document.macroEnabled.main+xml",
            "/word/extra.bin": "application/vnd.ms-office.vbaProject",
        },
    )


# ------------------------------------------------------------------------- Images


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def animated_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    frames = [Image.new("RGB", (16, 16), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    frames[0].save(buffer, format="PNG", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


# ------------------------------------------------------------------------ Catalog


@dataclass(frozen=True)
class Hostile:
    name: str  # the name to upload it under
    make: Callable[[], bytes]  # returns the bytes (called lazily: some take a moment)
    reason: str  # a fragment of the refusal's English text

    @property
    def content(self) -> bytes:
        return self.make()


UNPACKS = "unpacks to more than"
JAVASCRIPT = "it contains JavaScript"
AUTO_RUN = "it runs actions by itself"
LAUNCH = "it can start a program"
ATTACHED = "it carries attached files"
PASSWORD = "it is protected by a password"
UNREADABLE = "it cannot be read as a PDF"
MACROS = "it contains macros"
TOO_COMPLEX = "it is too large or complex to be checked"

HOSTILE_UPLOADS = [
    Hostile("bom.docx", lambda: zip_bomb("docx", 8 * MB), UNPACKS),
    Hostile("bom.xlsx", lambda: zip_bomb("xlsx", 8 * MB), UNPACKS),
    Hostile("bom-khai-gia.docx", zip_bomb_declared, UNPACKS),
    Hostile("kich-thuoc-gia.docx", zip_lying_sizes, UNPACKS),
    Hostile("macro-doi-ten.docx", docx_with_renamed_macros, MACROS),
    Hostile("mo-la-chay.pdf", pdf_open_action_javascript, JAVASCRIPT),
    Hostile("javascript.pdf", pdf_names_javascript, JAVASCRIPT),
    Hostile("ma-hex.pdf", pdf_hex_escaped_javascript, JAVASCRIPT),
    Hostile("o-nhap.pdf", pdf_field_javascript, JAVASCRIPT),
    Hostile("nen.pdf", pdf_javascript_in_object_stream, JAVASCRIPT),
    Hostile("xfa.pdf", pdf_xfa, JAVASCRIPT),
    Hostile("tu-in.pdf", pdf_page_additional_actions, AUTO_RUN),
    Hostile("mo-trang-web.pdf", pdf_open_action_uri, AUTO_RUN),
    Hostile("chay-lenh.pdf", pdf_launch, LAUNCH),
    Hostile("dinh-kem.pdf", pdf_embedded_file, ATTACHED),
    Hostile("mat-khau.pdf", pdf_with_password, PASSWORD),
    Hostile("hong.pdf", damaged_pdf, UNREADABLE),
    Hostile("khong-tham-chieu.pdf", pdf_unreferenced_javascript, JAVASCRIPT),
    Hostile("bom.pdf", pdf_object_stream_bomb, TOO_COMPLEX),
]
