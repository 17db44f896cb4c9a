"""Checking evidence files: the type comes from the content, never from the name.

PDF, JPEG and PNG are recognised by their signature (filetype). Office files are
containers, so their signature is not enough: a Word 97–2003 or Excel 97–2003 file is
an OLE compound file whose streams say what it is (olefile reads the directory), and a
.docx or .xlsx is a zip whose parts say what it is. Reading the structure rather than
guessing from bytes at fixed offsets accepts files saved by Word, LibreOffice or WPS
alike, and lets a password-protected or macro-carrying file be refused with the reason.
"""

import hashlib
import struct
import zipfile
from dataclasses import dataclass

import filetype
import msoffcrypto
import olefile
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024

# Detected extension → the MIME type we store and serve.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
ALLOWED_LABEL = "PDF, Word, Excel, JPEG, PNG"
# The extensions a file of each type may carry in its name.
NAME_SUFFIXES = {"jpg": (".jpg", ".jpeg")}

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
SIGNED_TYPES = {"pdf", "jpg", "png"}

# A Word or Excel file holds a few dozen parts; a zip claiming thousands of entries
# or a large directory is refused before its directory is read into memory.
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024
ZIP_END_SIGNATURE = b"PK\x05\x06"
ZIP_END_SEARCH_BYTES = 22 + 65535  # the end record and the longest comment
ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
ZIP64_LOCATOR_BYTES = 20
ZIP64_RECORD_SIGNATURE = b"PK\x06\x06"
ZIP64_RECORD_BYTES = 56

# Word 97–2003: the FIB at the start of the WordDocument stream has fEncrypted in
# the flags word at offset 10 ([MS-DOC] 2.5.2). Excel 97–2003: a FILEPASS record
# in the workbook globals, before their EOF record ([MS-XLS] 2.4.117).
WORD_FLAGS_OFFSET = 10
WORD_ENCRYPTED_FLAG = 0x0100
XLS_FILEPASS = 0x002F
XLS_EOF = 0x000A
XLS_GLOBALS_SCAN_BYTES = 256 * 1024
EXCEL_DEFAULT_PASSWORD = "VelvetSweatshop"  # noqa: S105 - [MS-XLS] 2.2.10, public

PASSWORD_REASON = gettext_lazy("it is protected by a password; save it without one")
MACROS_REASON = gettext_lazy("it contains macros; save it as a document without macros")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


class Refused(Exception):
    """The content is of a family we know but cannot accept; str() says why."""


def _ole_kind(upload) -> str | None:
    upload.seek(0)
    try:
        ole = olefile.OleFileIO(upload)
    except Exception:  # a damaged compound file raises more than OSError
        return None
    try:
        return _ole_kind_of(ole, upload)
    except Refused:
        raise
    except Exception:  # a stream pointing outside the file, a truncated table…
        return None
    finally:
        ole.close()


def _ole_kind_of(ole, upload) -> str | None:
    if ole.exists("EncryptedPackage"):  # a .docx or .xlsx saved with a password
        raise Refused(PASSWORD_REASON)
    if ole.exists("Macros") or ole.exists("_VBA_PROJECT_CUR"):
        raise Refused(MACROS_REASON)
    if ole.exists("WordDocument"):
        with ole.openstream("WordDocument") as stream:
            fib = stream.read(WORD_FLAGS_OFFSET + 2)
        if len(fib) < WORD_FLAGS_OFFSET + 2:
            return None
        (flags,) = struct.unpack_from("<H", fib, WORD_FLAGS_OFFSET)
        if flags & WORD_ENCRYPTED_FLAG:
            raise Refused(PASSWORD_REASON)
        return "doc"
    for name in ("Workbook", "Book"):
        if ole.exists(name):
            with ole.openstream(name) as stream:
                globals_ = stream.read(XLS_GLOBALS_SCAN_BYTES)
            if _xls_has_password(globals_) and not _opens_without_password(upload):
                raise Refused(PASSWORD_REASON)
            return "xls"
    return None


def _opens_without_password(upload) -> bool:
    """Excel 97–2003 also encrypts a workbook whose structure is protected, with
    its built-in password "VelvetSweatshop"; Excel and LibreOffice open such a file
    without asking. msoffcrypto-tool checks that password against the file's
    verifier (nothing is decrypted)."""
    upload.seek(0)
    try:
        msoffcrypto.OfficeFile(upload).load_key(password=EXCEL_DEFAULT_PASSWORD)
    except Exception:  # InvalidKeyError, or a scheme it cannot check
        return False
    return True


def _xls_has_password(data: bytes) -> bool:
    """Whether the workbook globals (records of type, length, body) carry FILEPASS."""
    position = 0
    while position + 4 <= len(data):
        record, length = struct.unpack_from("<HH", data, position)
        if record == XLS_FILEPASS:
            return True
        if record == XLS_EOF:
            return False
        position += 4 + length
    return False


def _zip_directory_is_small(upload) -> bool:
    """Read the end-of-central-directory record: how many entries, how big a
    directory. When a zip64 locator precedes it, the zip64 record's counts are the
    ones zipfile will use, so those are checked (a writer may use zip64 for a small
    file too)."""
    upload.seek(0, 2)
    size = upload.tell()
    start = max(0, size - ZIP_END_SEARCH_BYTES - ZIP64_LOCATOR_BYTES)
    upload.seek(start)
    tail = upload.read()
    at = tail.rfind(ZIP_END_SIGNATURE)
    if at < 0 or len(tail) - at < 22:
        return False
    entries, directory_bytes = struct.unpack_from("<HI", tail, at + 10)
    locator = at - ZIP64_LOCATOR_BYTES
    if locator >= 0 and tail[locator : locator + 4] == ZIP64_LOCATOR_SIGNATURE:
        # The zip64 record sits just before its locator, where zipfile reads it.
        record_at = start + locator - ZIP64_RECORD_BYTES
        if record_at < 0:
            return False
        upload.seek(record_at)
        record = upload.read(ZIP64_RECORD_BYTES)
        if len(record) < ZIP64_RECORD_BYTES or record[:4] != ZIP64_RECORD_SIGNATURE:
            return False
        entries, directory_bytes = struct.unpack_from("<QQ", record, 32)
    return entries <= MAX_ZIP_ENTRIES and directory_bytes <= MAX_ZIP_DIRECTORY_BYTES


def _zip_kind(upload) -> str | None:
    try:
        if not _zip_directory_is_small(upload):
            return None
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except Exception:  # BadZipFile, but also ValueError, struct.error, EOFError…
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.endswith("vbaProject.bin") for name in names):
        raise Refused(MACROS_REASON)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def detect(upload) -> tuple[str | None, str]:
    """(accepted extension or None, what the content was found to be)."""
    upload.seek(0)
    head = upload.read(8192)
    if head.startswith(OLE_SIGNATURE):
        return _ole_kind(upload), _("an Office 97–2003 file of another kind")
    if head.startswith(ZIP_SIGNATURE):
        return _zip_kind(upload), _("a zip archive")
    kind = filetype.guess(head)
    if kind is not None and kind.extension in SIGNED_TYPES:
        return kind.extension, kind.mime
    return None, kind.mime if kind else _("unknown")


def check_upload(upload) -> CheckedFile:
    """Refuse empty, oversize and disallowed files with a message saying why;
    return the detected type, the size and the SHA-256 of an accepted one."""
    size = upload.size
    if size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": upload.name})
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(size),
                "limit": filesizeformat(MAX_EVIDENCE_BYTES),
            }
        )
    try:
        extension, found = detect(upload)
    except Refused as refused:
        raise ValidationError(
            _("The file “%(name)s” cannot be accepted: %(reason)s.")
            % {"name": upload.name, "reason": refused}
        ) from None
    if extension is None:
        raise ValidationError(
            _(
                "The file “%(name)s” is not an accepted type (its content is %(found)s). "
                "Accepted: %(allowed)s."
            )
            % {"name": upload.name, "found": found, "allowed": ALLOWED_LABEL}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        content_type=ALLOWED_TYPES[extension],
        extension=extension,
        size=size,
        sha256=digest.hexdigest(),
    )


def download_name(name: str, extension: str) -> str:
    """The file's name, with the extension of its real type added when the name
    says otherwise (a photo named .pdf downloads as .pdf.jpg and opens as a photo)."""
    suffixes = NAME_SUFFIXES.get(extension, (f".{extension}",))
    if name.lower().endswith(suffixes):
        return name
    return f"{name}{suffixes[0]}"
