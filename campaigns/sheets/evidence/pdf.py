"""PDF: refused when it can run something on the computer of whoever opens it.

Refused, wherever it sits (the catalog, pages, annotations, form fields, bookmarks,
name trees, chains of /Next actions):
- JavaScript: an action of type /JavaScript, any /JS entry (rendition actions carry
  one too), the document's /JavaScript name tree, and an XFA form (/XFA), whose
  scripts are XML inside a stream.
- Starting a program or reading a file: /Launch and /ImportData actions.
- Actions that run by themselves: a non-empty /AA (additional actions, run when the
  document or a page is opened, closed, printed, or a field is entered), and an
  /OpenAction other than a destination or a plain /GoTo (opening at a page, as Word
  and LibreOffice write, stays accepted; opening a web page or printing does not).
- Attached files: the /EmbeddedFiles name tree, a file specification holding the
  file (/EF), an /EmbeddedFile stream, a /FileAttachment annotation, a /GoToE
  action. An attachment would escape the type check (an .exe inside a PDF).
Accepted: links to web pages (/URI), to other places (/GoTo) or other files
(/GoToR) and named actions such as next page, which run only when clicked.

pypdf reads the file, undoing #xx escapes in names (/J#61vaScript) and reading
objects packed in compressed object streams, so the check sees what a viewer sees,
not the bytes. It reads leniently (a PDF with the small defects viewers shrug off is
accepted); a file it cannot read at all, or whose objects are encrypted with a
password to open it, is refused. Every object reachable from the trailer is walked
(what a viewer can reach). The file's bytes are also searched for /JavaScript,
/Launch and /EmbeddedFile(s), written plainly or with #xx escapes, so an object the
walk did not see (one pypdf skipped as damaged, one only a viewer's repair would
find, an older revision left by an incremental save) is refused where it is not
compressed; shorter names (/JS, /AA) would turn up by chance in image data.

The work is bounded: PDF_MAX_OBJECTS objects and PDF_MAX_VALUES values inside them
walked, PDF_MAX_SECONDS for the walk and the byte search together (the clock is read
before every object, as reading one can cost pypdf a search of the file), and
PDF_MAX_STREAM_BYTES for each stream pypdf has to decode (object and cross-reference
streams; page contents and images are never decoded). A file past a bound is refused
as too complex to check. Reading the cross-reference table itself is not bounded by
the clock, only by the file's size (about a second for 20 MB of table).
"""

import re
import time

from django.utils.translation import gettext_lazy
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from campaigns.sheets.evidence.refusal import PASSWORD_REASON, Refused

PDF_MAX_OBJECTS = 100_000
PDF_MAX_VALUES = 2_000_000
PDF_MAX_SECONDS = 5.0
PDF_MAX_STREAM_BYTES = 32 * 1024 * 1024
DEADLINE_EVERY = 1024  # direct values walked between two looks at the clock

JAVASCRIPT_REASON = gettext_lazy("it contains JavaScript; print it to a new PDF and attach that")
LAUNCH_REASON = gettext_lazy(
    "it can start a program or open a file on the computer; print it to a new PDF and attach that"
)
AUTO_RUN_REASON = gettext_lazy(
    "it runs actions by itself when it is opened or viewed; print it to a new PDF and attach that"
)
ATTACHED_REASON = gettext_lazy("it carries attached files; attach each file on its own")
UNREADABLE_REASON = gettext_lazy(
    "it cannot be read as a PDF (it may be damaged); save or print it again as a PDF"
)
TOO_COMPLEX_REASON = gettext_lazy(
    "it is too large or complex to be checked; print it to a new PDF and attach that"
)
# What the checks find, in the order said when a file has several.
JAVASCRIPT, LAUNCH, AUTO_RUN, ATTACHED = "javascript", "launch", "auto-run", "attached"
REASONS = {
    JAVASCRIPT: JAVASCRIPT_REASON,
    LAUNCH: LAUNCH_REASON,
    AUTO_RUN: AUTO_RUN_REASON,
    ATTACHED: ATTACHED_REASON,
}
# Names searched for in the raw bytes: long enough not to turn up by chance in
# image data.
RAW_NAMES = {
    "JavaScript": JAVASCRIPT,
    "Launch": LAUNCH,
    "EmbeddedFile": ATTACHED,
    "EmbeddedFiles": ATTACHED,
}
NAME_END = rb"(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|\Z)"  # ISO 32000-1, 7.2.2 and 7.3.5


def _escapable(name: str) -> bytes:
    """A pattern for the name with any of its characters written as a #xx escape
    (the hex digits in either case)."""
    return b"".join(b"(?:%s|(?i:#%02x))" % (re.escape(char.encode()), ord(char)) for char in name)


RAW_NAME = re.compile(
    b"/("
    + b"|".join(_escapable(name) for name in sorted(RAW_NAMES, key=len, reverse=True))
    + b")"
    + NAME_END
)
HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
RAW_CHUNK = 1024 * 1024
RAW_OVERLAP = 64  # a match is at most 1 + 3 × 13 bytes, and one more to end the name


def check_pdf(upload) -> None:
    """Raise Refused with the reason when the PDF is active, unreadable, locked
    with a password or too complex to check (see the module docstring)."""
    deadline = time.monotonic() + PDF_MAX_SECONDS
    limits = {
        name: PDF_MAX_STREAM_BYTES
        for name in (
            "zlib_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "brotli_maximum_output_length",
            "stream_decoding_work_maximum_length",
        )
    }
    upload.seek(0)
    try:
        with apply_configuration(**limits):
            reader = PdfReader(upload, xref_stream_maximum_entries=PDF_MAX_OBJECTS)
            if reader.is_encrypted and not reader.decrypt(""):
                raise Refused(PASSWORD_REASON)
            found = _walk([reader.trailer, reader.root_object], deadline)
        upload.seek(0)
        found |= _raw_names(upload.read(), deadline)
    except Refused:
        raise
    except LimitReachedError:
        raise Refused(TOO_COMPLEX_REASON) from None
    except Exception:  # PdfReadError, but a hostile file raises anything
        raise Refused(UNREADABLE_REASON) from None
    finally:
        upload.seek(0)
    for finding, reason in REASONS.items():
        if finding in found:
            raise Refused(reason)


def _walk(start: list, deadline: float) -> set[str]:
    """What is found in every object reachable from `start`, each indirect
    object read once."""
    found = set()
    seen = set()
    stack = list(start)
    values = 0
    while stack:
        value = stack.pop()
        values += 1
        if values > PDF_MAX_VALUES or (
            values % DEADLINE_EVERY == 0 and time.monotonic() > deadline
        ):
            raise Refused(TOO_COMPLEX_REASON)
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            # Reading one object can cost a search of the whole file (pypdf looking
            # for an object missing from the cross-reference): look at the clock.
            if len(seen) > PDF_MAX_OBJECTS or time.monotonic() > deadline:
                raise Refused(TOO_COMPLEX_REASON)
            value = value.get_object()
        if isinstance(value, DictionaryObject):
            found |= _findings_in(value)
            stack.extend(dict.values(value))  # as written: references not yet read
        elif isinstance(value, ArrayObject):
            stack.extend(list.__iter__(value))
    if time.monotonic() > deadline:
        raise Refused(TOO_COMPLEX_REASON)
    return found


def _raw_names(content: bytes, deadline: float) -> set[str]:
    """What the names of RAW_NAMES say, searched in the bytes a megabyte at a time
    (overlapping by more than the longest match) until the deadline."""
    found = set()
    for start in range(0, len(content), RAW_CHUNK):
        if time.monotonic() > deadline:
            raise Refused(TOO_COMPLEX_REASON)
        chunk = content[start : start + RAW_CHUNK + RAW_OVERLAP]
        for match in RAW_NAME.finditer(chunk):
            name = HEX_ESCAPE.sub(lambda escape: bytes([int(escape[1], 16)]), match[1])
            found.add(RAW_NAMES[name.decode()])
    return found


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _findings_in(dictionary) -> set[str]:
    keys = set(dict.keys(dictionary))
    action = _resolved(dict.get(dictionary, "/S"))
    found = set()
    if action == "/JavaScript" or keys & {"/JS", "/JavaScript", "/XFA"}:
        found.add(JAVASCRIPT)
    if action in ("/Launch", "/ImportData"):
        found.add(LAUNCH)
    if (
        action == "/GoToE"
        or keys & {"/EmbeddedFiles", "/EF"}
        or _resolved(dict.get(dictionary, "/Type")) == "/EmbeddedFile"
        or _resolved(dict.get(dictionary, "/Subtype")) == "/FileAttachment"
    ):
        found.add(ATTACHED)
    additional = _resolved(dict.get(dictionary, "/AA"))
    if isinstance(additional, DictionaryObject) and len(additional):
        found.add(AUTO_RUN)
    if "/OpenAction" in keys and not _opens_at_a_place(
        _resolved(dict.get(dictionary, "/OpenAction"))
    ):
        found.add(AUTO_RUN)
    return found


def _opens_at_a_place(open_action) -> bool:
    """Whether an /OpenAction only shows a place in the document: a destination (an
    array, or a name or string naming one) or a /GoTo action with nothing after."""
    if not isinstance(open_action, DictionaryObject):
        return True  # a destination, or null: nothing runs
    return _resolved(dict.get(open_action, "/S")) == "/GoTo" and "/Next" not in open_action
