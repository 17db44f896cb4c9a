"""Checking evidence files: the type comes from the content, never from the name."""

import hashlib
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


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
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED_TYPES:
        found = kind.mime if kind else _("unknown")
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
        content_type=ALLOWED_TYPES[kind.extension],
        extension=kind.extension,
        size=size,
        sha256=digest.hexdigest(),
    )
