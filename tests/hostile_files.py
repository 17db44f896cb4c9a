"""Hostile files, made in the test: each function returns the bytes of one file.

The evidence tests (tests/campaigns/test_evidence.py) and the security
specifications (tests/security/) upload these through every upload field.
`HOSTILE_UPLOADS` lists every file the product must refuse, with a name to upload it
under and a fragment of the reason the refusal gives (English source text: use the
`english` fixture, or compare with the translated text).

Office files are minimal real .docx/.xlsx packages written with zipfile.
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
MACROS = "it contains macros"

HOSTILE_UPLOADS = [
    Hostile("bom.docx", lambda: zip_bomb("docx", 8 * MB), UNPACKS),
    Hostile("bom.xlsx", lambda: zip_bomb("xlsx", 8 * MB), UNPACKS),
    Hostile("bom-khai-gia.docx", zip_bomb_declared, UNPACKS),
    Hostile("kich-thuoc-gia.docx", zip_lying_sizes, UNPACKS),
    Hostile("macro-doi-ten.docx", docx_with_renamed_macros, MACROS),
]
