"""Checking evidence files: the type comes from the content, never from the name.

PDF, JPEG and PNG are recognised by their signature (filetype). Office files are
containers, so their signature is not enough: a Word 97–2003 or Excel 97–2003 file is
an OLE compound file whose streams say what it is (olefile reads the directory), and a
.docx or .xlsx is a zip whose parts say what it is. Reading the structure rather than
guessing from bytes at fixed offsets accepts files saved by Word, LibreOffice or WPS
alike, and lets a password-protected or macro-carrying file be refused with the reason
(office.py). The content is also checked for what it would do to whoever opens it: a
zip whose parts unpack to too much (office.py) and a PDF that can run something
(JavaScript, actions that run by themselves, launching a program, attached files:
pdf.py) are refused with the reason.
"""

import hashlib
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from campaigns.sheets.evidence.office import ZIP_SIGNATURE, ole_kind, zip_kind
from campaigns.sheets.evidence.pdf import check_pdf
from campaigns.sheets.evidence.refusal import Refused

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
# What filetype names a type we accept → the type. An animated PNG is a PNG (a
# viewer without animation shows its first frame).
SIGNED_TYPES = {"pdf": "pdf", "jpg": "jpg", "png": "png", "apng": "png"}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def detect(upload) -> tuple[str | None, str]:
    """(accepted extension or None, what the content was found to be)."""
    upload.seek(0)
    head = upload.read(8192)
    if head.startswith(OLE_SIGNATURE):
        return ole_kind(upload), _("an Office 97–2003 file of another kind")
    if head.startswith(ZIP_SIGNATURE):
        return zip_kind(upload), _("a zip archive")
    kind = filetype.guess(head)
    if kind is not None and kind.extension in SIGNED_TYPES:
        extension = SIGNED_TYPES[kind.extension]
        if extension == "pdf":
            check_pdf(upload)
        return extension, kind.mime
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
