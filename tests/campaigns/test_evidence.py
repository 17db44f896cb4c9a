import hashlib
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat

from campaigns.evidence import MAX_EVIDENCE_BYTES, check_upload

# Messages are asserted as written in the code (English).
pytestmark = pytest.mark.usefixtures("english")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("bao-cao.pdf", PDF, "application/pdf"),
        ("anh.png", PNG, "image/png"),
        (
            "bang.xlsx",
            _xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_check_upload_detects_type_from_content(name, content, content_type):
    checked = check_upload(SimpleUploadedFile(name, content))

    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_check_upload_ignores_a_misleading_name():
    checked = check_upload(SimpleUploadedFile("anh-that.jpg", PDF))

    assert checked.content_type == "application/pdf"


def test_check_upload_refuses_a_renamed_executable():
    upload = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 200)

    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload)

    assert "is not an accepted type" in excinfo.value.messages[0]
    assert "PDF, Word, Excel, JPEG, PNG" in excinfo.value.messages[0]


def test_check_upload_refuses_plain_text_named_pdf():
    with pytest.raises(ValidationError) as excinfo:
        check_upload(SimpleUploadedFile("ghi-chu.pdf", b"just text, not a PDF"))

    assert "(its content is unknown)" in excinfo.value.messages[0]


def test_check_upload_refuses_oversize_file():
    upload = SimpleUploadedFile("lon.pdf", PDF + b"0" * MAX_EVIDENCE_BYTES)

    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload)

    assert excinfo.value.messages == [
        f"The file “lon.pdf” is {filesizeformat(upload.size)}; "
        f"the limit is {filesizeformat(MAX_EVIDENCE_BYTES)}."
    ]


def test_check_upload_refuses_empty_file():
    with pytest.raises(ValidationError) as excinfo:
        check_upload(SimpleUploadedFile("rong.pdf", b""))

    assert excinfo.value.messages == ["The file “rong.pdf” is empty."]
