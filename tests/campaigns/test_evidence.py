import hashlib
import io
import os
import struct
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from campaigns.models import Evidence
from campaigns.sheets.evidence import MAX_EVIDENCE_BYTES, check_upload, download_name, office, pdf

from .. import hostile_files as hostile
from .sheet import answer_for

# Messages are asserted as written in the code (English).
pytestmark = pytest.mark.usefixtures("english")

PDF = hostile.clean_pdf()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MB = 1024 * 1024
FILES = Path(__file__).parent / "files"  # real office files: see files/README.md


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _with_macros(docx: bytes) -> bytes:
    """The .docx with a VBA project part, as Word writes a macro-enabled document."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/vbaProject.bin", b"\xcc" * 512)
    return buffer.getvalue()


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
        ("anh.jpg", _jpeg(), "image/jpeg"),
        ("bien-ban.doc", (FILES / "bien-ban.doc").read_bytes(), "application/msword"),
        (
            "bien-ban.docx",
            (FILES / "bien-ban.docx").read_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("diem.xls", (FILES / "diem.xls").read_bytes(), "application/vnd.ms-excel"),
        (  # encrypted with Excel's built-in password: opens without asking
            "khoa-cau-truc.xls",
            (FILES / "khoa-cau-truc.xls").read_bytes(),
            "application/vnd.ms-excel",
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


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "mat-khau.docx",
            (FILES / "mat-khau.docx").read_bytes(),
            "it is protected by a password; save it without one",
        ),
        (
            "mat-khau.doc",
            (FILES / "mat-khau.doc").read_bytes(),
            "it is protected by a password; save it without one",
        ),
        (
            "mat-khau.xls",
            (FILES / "mat-khau.xls").read_bytes(),
            "it is protected by a password; save it without one",
        ),
        (
            "macro.docx",
            _with_macros((FILES / "bien-ban.docx").read_bytes()),
            "it contains macros; save it as a document without macros",
        ),
    ],
)
def test_check_upload_says_why_an_office_file_cannot_be_accepted(name, content, reason):
    with pytest.raises(ValidationError) as excinfo:
        check_upload(SimpleUploadedFile(name, content))

    assert excinfo.value.messages == [f"The file “{name}” cannot be accepted: {reason}."]


def test_check_upload_refuses_a_zip_that_is_not_an_office_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bao-cao.pdf", PDF)

    with pytest.raises(ValidationError) as excinfo:
        check_upload(SimpleUploadedFile("ho-so.docx", buffer.getvalue()))

    assert "(its content is a zip archive)" in excinfo.value.messages[0]


def test_check_upload_refuses_a_damaged_office_file():
    content = (FILES / "bien-ban.doc").read_bytes()[:600]

    with pytest.raises(ValidationError) as excinfo:
        check_upload(SimpleUploadedFile("hong.doc", content))

    assert "is not an accepted type" in excinfo.value.messages[0]


def _doc_with_bad_mini_sector_shift() -> bytes:
    """A compound file header whose mini sector shift (bytes 0x20–0x21) is absurd."""
    content = bytearray((FILES / "bien-ban.doc").read_bytes())
    content[0x20:0x22] = b"\xff\xff"
    return bytes(content)


def _docx_needing_unknown_zip_version() -> bytes:
    """Every central-directory entry claims to need zip version 25.5."""
    content = bytearray((FILES / "bien-ban.docx").read_bytes())
    at = content.find(b"PK\x01\x02")
    while at >= 0:
        content[at + 6 : at + 8] = b"\xff\x00"
        at = content.find(b"PK\x01\x02", at + 4)
    return bytes(content)


def _zip64(entries: int, *, claim: int | None = None) -> bytes:
    """A .docx-looking zip written with zip64 end records (as some writers do even
    for small files); `claim` rewrites the classic end record's entry count, as a
    crafted file would to pass a check that reads only that record."""
    buffer = io.BytesIO()
    limit = zipfile.ZIP_FILECOUNT_LIMIT
    zipfile.ZIP_FILECOUNT_LIMIT = 1  # makes zipfile write the zip64 records
    try:
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
            for number in range(entries - 2):
                archive.writestr(f"p/{number}", b"")
    finally:
        zipfile.ZIP_FILECOUNT_LIMIT = limit
    content = bytearray(buffer.getvalue())
    assert b"PK\x06\x07" in content  # the zip64 locator
    if claim is not None:
        at = content.rfind(b"PK\x05\x06")
        struct.pack_into("<HHI", content, at + 8, claim, claim, 100)
    return bytes(content)


def test_check_upload_accepts_a_small_zip64_document():
    checked = check_upload(SimpleUploadedFile("zip64.docx", _zip64(3)))

    assert checked.extension == "docx"


def _zip_of_many_entries() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for number in range(2500):
            archive.writestr(f"p/{number}", b"")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("hong.doc", _doc_with_bad_mini_sector_shift()),
        ("hong.docx", _docx_needing_unknown_zip_version()),
        ("nhieu-phan.docx", _zip_of_many_entries()),
        ("zip64-gia.docx", _zip64(2500, claim=2)),
        ("cut.docx", (FILES / "bien-ban.docx").read_bytes()[:-30]),
        ("cut.xls", (FILES / "diem.xls").read_bytes()[:2048]),
    ],
)
def test_check_upload_refuses_a_crafted_container_with_a_message(name, content):
    with pytest.raises(ValidationError) as excinfo:
        check_upload(SimpleUploadedFile(name, content))

    assert f"The file “{name}” is not an accepted type" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("anh.jpg", "jpg", "anh.jpg"),
        ("ANH.JPEG", "jpg", "ANH.JPEG"),
        ("anh-chup.pdf", "jpg", "anh-chup.pdf.jpg"),
        ("bien-ban", "doc", "bien-ban.doc"),
        ("bao-cao.PDF", "pdf", "bao-cao.PDF"),
    ],
)
def test_download_name_carries_the_real_type(name, extension, expected):
    assert download_name(name, extension) == expected


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as excinfo:
        check_upload(SimpleUploadedFile(name, content))
    (message,) = excinfo.value.messages
    return message


def _unpacks_message(name: str, content: bytes, limit: int) -> str:
    return (
        f"The file “{name}” cannot be accepted: its content unpacks to more than "
        f"{filesizeformat(limit)}, the most accepted for a file of "
        f"{filesizeformat(len(content))}."
    )


# ------------------------------------------------------------ Office: zip bombs


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_an_office_file_unpacking_to_more_than_100_times_its_size_is_refused(kind):
    content = hostile.zip_bomb(kind, 8 * MB)  # about 8 kB
    name = f"bom.{kind}"

    assert _refusal(name, content) == _unpacks_message(name, content, 100 * len(content))


def test_a_300_mb_zip_bomb_is_refused_from_its_directory_without_inflating_it(monkeypatch):
    content = hostile.zip_bomb("docx")  # 300 MB of zeros in a real .docx, about 300 kB
    inflated = []
    monkeypatch.setattr(office, "_inflate_all", lambda *args: inflated.append(args))

    message = _refusal("bom.docx", content)

    assert message == _unpacks_message("bom.docx", content, 100 * len(content))
    assert inflated == []


def test_an_office_file_declaring_more_than_200_mb_is_refused_even_within_the_ratio():
    content = hostile.zip_bomb_declared("docx", declared=250 * MB)
    assert 100 * len(content) > 250 * MB  # the ratio alone would let it through

    assert _refusal("lon.docx", content) == _unpacks_message("lon.docx", content, 200 * MB)


def test_a_part_lying_about_its_size_is_refused_once_it_inflates_past_the_limit():
    content = hostile.zip_lying_sizes(real=5 * MB, declared=1024)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:  # zipfile trusts the lie
        assert archive.read("word/media/image1.bin") == bytes(1024)

    message = _refusal("gia.docx", content)

    assert message == _unpacks_message("gia.docx", content, 100 * len(content))


def test_inflating_stops_past_the_limit(monkeypatch):
    """A part that really inflates to 64 MB in a 64 kB file: no more than the limit
    (6.4 MB) and one chunk ever comes out of the inflater."""
    content = hostile.zip_lying_sizes(real=64 * MB, declared=1024)
    produced = []
    real_decompressobj = zlib.decompressobj

    class Counting:
        def __init__(self, *args):
            self.inflater = real_decompressobj(*args)

        def decompress(self, data, max_length=0):
            out = self.inflater.decompress(data, max_length)
            produced.append(len(out))
            return out

        def __getattr__(self, name):
            return getattr(self.inflater, name)

    monkeypatch.setattr(office.zlib, "decompressobj", Counting)

    assert "unpacks to more than" in _refusal("gia.docx", content)
    assert 100 * len(content) < sum(produced) <= 100 * len(content) + office.INFLATE_OUTPUT_CHUNK


@pytest.mark.parametrize(
    ("name", "content"),
    [  # sizes or CRC that do not match the data: not a file Word or Excel wrote
        ("nho-hon.docx", hostile.zip_lying_sizes(real=2048, declared=1024)),
        (
            "crc.docx",
            hostile._patch_entry(hostile.office("docx"), "word/document.xml", crc=1234),
        ),
        (
            "ngan.docx",
            hostile._patch_entry(hostile.office("docx"), "word/document.xml", compressed=20),
        ),
    ],
)
def test_an_office_file_whose_headers_disagree_with_its_data_is_refused(name, content):
    assert f"The file “{name}” is not an accepted type" in _refusal(name, content)


def test_macros_found_by_their_content_type_whatever_the_part_is_called():
    message = _refusal("doi-ten.docx", hostile.docx_with_renamed_macros())

    assert message == (
        "The file “doi-ten.docx” cannot be accepted: "
        "it contains macros; save it as a document without macros."
    )


def test_a_document_with_a_large_photo_is_still_accepted():
    content = hostile.office("docx", {"word/media/image1.jpeg": os.urandom(3 * MB)})

    assert check_upload(SimpleUploadedFile("anh.docx", content)).extension == "docx"


# ------------------------------------------------------------------ PDF actions


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (hostile.pdf_open_action_javascript, pdf.JAVASCRIPT_REASON),
        (hostile.pdf_names_javascript, pdf.JAVASCRIPT_REASON),
        (hostile.pdf_hex_escaped_javascript, pdf.JAVASCRIPT_REASON),
        (hostile.pdf_field_javascript, pdf.JAVASCRIPT_REASON),
        (hostile.pdf_javascript_in_object_stream, pdf.JAVASCRIPT_REASON),
        (hostile.pdf_xfa, pdf.JAVASCRIPT_REASON),
        (hostile.pdf_page_additional_actions, pdf.AUTO_RUN_REASON),
        (hostile.pdf_open_action_uri, pdf.AUTO_RUN_REASON),
        (hostile.pdf_launch, pdf.LAUNCH_REASON),
        (hostile.pdf_embedded_file, pdf.ATTACHED_REASON),
        (hostile.pdf_with_password, "it is protected by a password; save it without one"),
        (hostile.damaged_pdf, pdf.UNREADABLE_REASON),
        (lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", pdf.UNREADABLE_REASON),
        (hostile.pdf_object_stream_bomb, pdf.TOO_COMPLEX_REASON),
        (hostile.pdf_unreferenced_javascript, pdf.JAVASCRIPT_REASON),
    ],
)
def test_an_active_or_unreadable_pdf_is_refused_with_the_reason(make, reason):
    assert _refusal("ho-so.pdf", make()) == f"The file “ho-so.pdf” cannot be accepted: {reason}."


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (hostile.pdf_open_action_javascript, pdf.JAVASCRIPT_REASON),
        (hostile.pdf_names_javascript, pdf.JAVASCRIPT_REASON),
        (hostile.pdf_hex_escaped_javascript, pdf.JAVASCRIPT_REASON),
        (hostile.pdf_field_javascript, pdf.JAVASCRIPT_REASON),
        (hostile.pdf_launch, pdf.LAUNCH_REASON),
        (hostile.pdf_embedded_file, pdf.ATTACHED_REASON),
    ],
)
def test_the_document_walk_alone_finds_them(monkeypatch, make, reason):
    """Without the byte search, reading the objects as pypdf does (names unescaped)."""
    monkeypatch.setattr(pdf, "_raw_names", lambda content, deadline: set())

    assert _refusal("ho-so.pdf", make()).endswith(f": {reason}.")


def test_javascript_packed_in_an_object_stream_is_not_in_the_bytes():
    content = hostile.pdf_javascript_in_object_stream()

    assert b"JavaScript" not in content  # only the walk, reading the stream, finds it
    assert _refusal("nen.pdf", content).endswith(f": {pdf.JAVASCRIPT_REASON}.")


def _written_by_pypdf(add) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    add(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_javascript_and_attachments_written_by_pypdf_are_refused():
    from pypdf.actions import JavaScript

    javascript = _written_by_pypdf(lambda writer: writer.add_open_action(JavaScript("print()")))
    attachment = _written_by_pypdf(lambda writer: writer.add_attachment("a.exe", b"MZ"))

    assert _refusal("js.pdf", javascript).endswith(f": {pdf.JAVASCRIPT_REASON}.")
    assert _refusal("kem.pdf", attachment).endswith(f": {pdf.ATTACHED_REASON}.")


def test_plain_pdfs_are_accepted():
    for name, content in [
        ("trang.pdf", hostile.clean_pdf()),
        # opens at page 1, a web link, a bookmark: nothing runs by itself
        ("lien-ket.pdf", hostile.pdf_with_harmless_actions()),
        # an owner password only restricts printing: opens without asking
        ("han-che.pdf", hostile.pdf_with_password(user_password="")),
    ]:
        assert check_upload(SimpleUploadedFile(name, content)).extension == "pdf", name


def test_a_pdf_made_by_weasyprint_with_links_and_bookmarks_is_accepted():
    from weasyprint import HTML

    content = HTML(
        string="<h1>Báo cáo</h1><p><a href='https://example.gov.vn/'>Cổng</a> "
        "<a href='#b'>xuống</a></p><h2 id='b'>Phần 2</h2>"
    ).write_pdf()

    assert check_upload(SimpleUploadedFile("bao-cao.pdf", content)).extension == "pdf"


def test_a_pdf_of_more_objects_than_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(pdf, "PDF_MAX_OBJECTS", 50)

    assert _refusal("nhieu.pdf", hostile.pdf_of_many_objects(100)).endswith(
        f": {pdf.TOO_COMPLEX_REASON}."
    )
    assert check_upload(SimpleUploadedFile("it.pdf", hostile.pdf_of_many_objects(10)))


def test_checking_a_pdf_stops_at_its_time_bound(monkeypatch):
    monkeypatch.setattr(pdf, "PDF_MAX_SECONDS", 0.2)
    content = hostile.pdf_of_many_objects(40_000)  # about 2 MB, seconds to walk

    started = time.monotonic()
    message = _refusal("cham.pdf", content)

    assert message.endswith(f": {pdf.TOO_COMPLEX_REASON}.")
    assert time.monotonic() - started < 3


def test_every_hostile_upload_of_the_shared_catalog_is_refused_with_its_reason():
    for item in hostile.HOSTILE_UPLOADS:
        assert item.reason in _refusal(item.name, item.content), item.name


# ---------------------------------------------------------------- Images


@pytest.mark.parametrize(
    ("make", "extension"), [(hostile.png, "png"), (hostile.animated_png, "png"), (_jpeg, "jpg")]
)
def test_an_image_named_pdf_is_accepted_as_the_image_it_is(make, extension):
    checked = check_upload(SimpleUploadedFile("anh-chup.pdf", make()))

    assert checked.extension == extension
    assert download_name("anh-chup.pdf", checked.extension) == f"anh-chup.pdf.{extension}"


# ----------------------------------------------------------- Through the page


def _stored_files(settings) -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "shown"),
    [
        (
            "bom.docx",
            hostile.zip_bomb("docx", 8 * MB),
            "The file “bom.docx” cannot be accepted: its content unpacks to more than",
        ),
        (
            "mo-la-chay.pdf",
            hostile.pdf_open_action_javascript(),
            "The file “mo-la-chay.pdf” cannot be accepted: it contains JavaScript;",
        ),
    ],
)
def test_the_upload_page_says_why_and_stores_nothing(
    settings, client_for, head_a, submission_a, sheet, name, content, shown
):
    answer = answer_for(submission_a, sheet.scored)
    before = _stored_files(settings)

    response = client_for(head_a).post(
        reverse("campaigns:evidence_upload", args=[answer.pk]),
        {"file": SimpleUploadedFile(name, content)},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert shown in response.content.decode()
    assert Evidence.objects.count() == 0
    assert _stored_files(settings) == before


@pytest.mark.django_db
def test_without_javascript_the_refusal_is_a_message_on_the_sheet(
    client_for, head_a, submission_a, sheet
):
    answer = answer_for(submission_a, sheet.scored)

    response = client_for(head_a).post(
        reverse("campaigns:evidence_upload", args=[answer.pk]),
        {"file": SimpleUploadedFile("chay-lenh.pdf", hostile.pdf_launch())},
        follow=True,
    )

    assert f"The file “chay-lenh.pdf” cannot be accepted: {pdf.LAUNCH_REASON}." in (
        response.content.decode()
    )
    assert Evidence.objects.count() == 0


def test_the_reasons_are_said_in_vietnamese():
    from django.utils import translation

    with translation.override("vi"):
        bomb = _refusal("bom.docx", hostile.zip_bomb("docx", 8 * MB))
        javascript = _refusal("js.pdf", hostile.pdf_open_action_javascript())

    assert bomb.startswith("Không thể nhận tệp “bom.docx”: nội dung tệp khi giải nén vượt quá")
    assert javascript == (
        "Không thể nhận tệp “js.pdf”: tệp có chứa JavaScript; "
        "hãy in tệp ra một tệp PDF mới rồi đính kèm tệp đó."
    )
