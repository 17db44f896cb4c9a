"""Office files: Word and Excel 97–2003 (OLE compound files) and .docx/.xlsx (zips).

A compound file's streams say what it is (olefile reads the directory); a zip's parts
say what it is. A zip is also checked for what it would cost whoever opens it: its
parts may unpack to at most 200 MB, and to at most 100 times the file's size. The
sizes its directory declares are checked first, then every part is inflated here in
bounded chunks, counting what really comes out (a crafted header can declare a few
bytes for a part that inflates to gigabytes, and Python's zipfile would stop at the
declared size and find the CRC right), stopping as soon as the limit is passed.
"""

import struct
import zipfile
import zlib

import msoffcrypto
import olefile
from defusedxml import ElementTree
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from campaigns.sheets.evidence.refusal import MACROS_REASON, PASSWORD_REASON, Refused

ZIP_SIGNATURE = b"PK\x03\x04"

# Word 97–2003: the FIB at the start of the WordDocument stream has fEncrypted in
# the flags word at offset 10 ([MS-DOC] 2.5.2). Excel 97–2003: a FILEPASS record
# in the workbook globals, before their EOF record ([MS-XLS] 2.4.117).
WORD_FLAGS_OFFSET = 10
WORD_ENCRYPTED_FLAG = 0x0100
XLS_FILEPASS = 0x002F
XLS_EOF = 0x000A
XLS_GLOBALS_SCAN_BYTES = 256 * 1024
EXCEL_DEFAULT_PASSWORD = "VelvetSweatshop"  # noqa: S105 - [MS-XLS] 2.2.10, public


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

# What the parts of a zip may unpack to, in all.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_UNPACK_RATIO = 100
INFLATE_INPUT_CHUNK = 64 * 1024
INFLATE_OUTPUT_CHUNK = 1024 * 1024
LOCAL_HEADER_BYTES = 30
ZIP64_SIZE = 0xFFFFFFFF  # in a header: the real size is in the zip64 extra field
FLAG_ENCRYPTED = 0x0001
FLAG_DATA_DESCRIPTOR = 0x0008  # CRC and sizes follow the data, not in the local header
CONTENT_TYPES = "[Content_Types].xml"
MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # a real one is a few kB
# Content types of the parts Word and Excel run as macros: a VBA project (whatever
# the part is named), a macro-enabled main part, an Excel 4.0 macro sheet.
MACRO_CONTENT_TYPE_WORDS = ("vba", "macro")


def ole_kind(upload) -> str | None:
    """ "doc", "xls", or None for a compound file of another kind; Refused says why a
    Word or Excel file cannot be accepted."""
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


class Damaged(Exception):
    """A zip whose headers and data disagree: not a file Word or Excel wrote."""


class _Past(Exception):
    """More came out of the parts than the limit."""


def unpack_limit(size: int) -> int:
    """The most the parts of a zip of `size` bytes may unpack to."""
    return min(MAX_UNPACKED_BYTES, MAX_UNPACK_RATIO * size)


def _unpacks_too_much(limit: int, size: int) -> Refused:
    return Refused(
        _("its content unpacks to more than %(limit)s, the most accepted for a file of %(size)s")
        % {"limit": filesizeformat(limit), "size": filesizeformat(size)}
    )


def _inflate(upload, info: zipfile.ZipInfo, budget: int, *, keep: bool) -> bytes:
    """Inflate one part from its own local header, in chunks of at most
    INFLATE_OUTPUT_CHUNK, raising Refused once more than `budget` bytes came out and
    Damaged when the part's real size or CRC is not what the directory says.
    Returns the part's bytes when `keep` (up to MAX_CONTENT_TYPES_BYTES)."""
    if info.flag_bits & FLAG_ENCRYPTED or info.compress_type not in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,  # the only two methods Office writes
    ):
        raise Damaged
    upload.seek(info.header_offset)
    header = upload.read(LOCAL_HEADER_BYTES)
    if len(header) < LOCAL_HEADER_BYTES or header[:4] != ZIP_SIGNATURE:
        raise Damaged
    (method,) = struct.unpack_from("<H", header, 8)
    crc, compressed, unpacked, name_length, extra_length = struct.unpack_from("<IIIHH", header, 14)
    if method != info.compress_type:
        raise Damaged
    if not info.flag_bits & FLAG_DATA_DESCRIPTOR and (
        crc != info.CRC
        or compressed not in (info.compress_size, ZIP64_SIZE)
        or unpacked not in (info.file_size, ZIP64_SIZE)
    ):
        raise Damaged  # a reader trusting the local header would see another file
    upload.seek(info.header_offset + LOCAL_HEADER_BYTES + name_length + extra_length)

    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if method == zipfile.ZIP_DEFLATED else None
    produced, running_crc, kept = 0, 0, bytearray()

    def take(data: bytes) -> None:
        nonlocal produced, running_crc
        produced += len(data)
        if produced > budget:
            raise _Past
        running_crc = zlib.crc32(data, running_crc)
        if keep and len(kept) <= MAX_CONTENT_TYPES_BYTES:
            kept.extend(data)

    left = info.compress_size
    while left > 0 and not (inflater and inflater.eof):
        chunk = upload.read(min(INFLATE_INPUT_CHUNK, left))
        if not chunk:
            raise Damaged  # the data ends before the size the directory says
        left -= len(chunk)
        if inflater is None:
            take(chunk)
            continue
        while True:
            data = inflater.decompress(chunk, INFLATE_OUTPUT_CHUNK)
            take(data)
            chunk = inflater.unconsumed_tail
            # An output chunk filled to the brim may leave output pending inside.
            if inflater.eof or not (chunk or len(data) == INFLATE_OUTPUT_CHUNK):
                break
    if inflater is not None and not inflater.eof:
        raise Damaged
    if produced != info.file_size or running_crc != info.CRC:
        raise Damaged
    return bytes(kept)


def _inflate_all(upload, infos, size: int) -> bytes:
    """Inflate every part (see _inflate), counting against one budget for the whole
    file; return the [Content_Types].xml part."""
    limit = unpack_limit(size)
    total = 0
    content_types = b""
    for info in infos:
        keep = info.filename == CONTENT_TYPES
        try:
            data = _inflate(upload, info, limit - total, keep=keep)
        except _Past:
            raise _unpacks_too_much(limit, size) from None
        total += info.file_size
        if keep:
            content_types = data
    return content_types


def _declares_macros(content_types: bytes) -> bool:
    """Whether [Content_Types].xml gives a part a macro content type; Word and
    Excel find a VBA project by its content type and relationship, not its name."""
    if len(content_types) > MAX_CONTENT_TYPES_BYTES:
        raise Damaged
    try:
        root = ElementTree.fromstring(content_types)
    except Exception as error:  # ParseError, or defusedxml refusing entities
        raise Damaged from error
    for element in root.iter():
        content_type = element.get("ContentType", "").lower()
        if any(word in content_type for word in MACRO_CONTENT_TYPE_WORDS):
            return True
    return False


def zip_kind(upload) -> str | None:
    """ "docx", "xlsx", or None for a zip that is not one; Refused says why a Word or
    Excel file cannot be accepted (macros, or unpacking to too much)."""
    upload.seek(0, 2)
    size = upload.tell()
    try:
        if not _zip_directory_is_small(upload):
            return None
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except Exception:  # BadZipFile, but also ValueError, struct.error, EOFError…
        return None
    names = {info.filename for info in infos}
    if CONTENT_TYPES not in names:
        return None
    if any(name.endswith("vbaProject.bin") for name in names):
        raise Refused(MACROS_REASON)
    if sum(info.file_size for info in infos) > unpack_limit(size):
        raise _unpacks_too_much(unpack_limit(size), size)
    try:
        if _declares_macros(_inflate_all(upload, infos, size)):
            raise Refused(MACROS_REASON)
    except (Damaged, zlib.error, OSError, ValueError, struct.error):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None
