"""The Vietnamese catalogue stays complete: every entry translated and none fuzzy, every
string of the code present in it, and the committed .mo compiled from the committed .po.

The .po is read by the small parser below (polib is not a dependency); makemessages
needs GNU gettext (xgettext, msgmerge), as `make messages` does."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
LC_MESSAGES = ROOT / "locale" / "vi" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"
# What makemessages reads for the "django" domain: the apps, the project package and
# the project templates.
SOURCES = (
    "emulation",
    "units",
    "campaigns",
    "awards",
    "reports",
    "spreadsheets",
    "templates",
    "manage.py",
)
HINT = "run `make messages` and translate them in locale/vi/LC_MESSAGES/django.po"


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"{context}{self.msgid!r}"

    def __str__(self) -> str:
        return f"{self.label} (line {self.line})"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header included (msgid ""), obsolete (#~) ones left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if not line or line.startswith("#"):
            continue  # blank, comment, reference or obsolete (#~) line
        if line.startswith('"'):
            if current is None or target is None:
                raise AssertionError(f"{path}:{number}: a string outside an entry")
            name, index = target
            text = _unquote(line[1:-1])
            if name == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, name, (getattr(current, name) or "") + text)
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
        keyword, index, text = match.group(1), match.group(2), _unquote(match.group(3))
        starts = keyword == "msgctxt" or (
            keyword == "msgid" and (current is None or current.msgstr)
        )
        if starts:
            finish()
            current = Entry(flags=flags, line=number)
            flags = set()
        elif current is None:
            raise AssertionError(f"{path}:{number}: {keyword} before msgid")
        if keyword.startswith("msgstr"):
            target = ("msgstr", int(index) if index is not None else 0)
            current.msgstr[target[1]] = text
        else:
            target = (keyword, None)
            setattr(current, keyword, text)
    finish()
    return entries


def _header(entries: list[Entry]) -> dict[str, str]:
    header = next(entry for entry in entries if entry.key == (None, ""))
    lines = header.msgstr[0].splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = parse_po(PO_FILE)
    messages = [entry for entry in entries if entry.msgid]

    untranslated = [str(entry) for entry in messages if not entry.translated]
    fuzzy = [str(entry) for entry in entries if "fuzzy" in entry.flags]
    wrong_plurals = [str(e) for e in messages if e.msgid_plural and sorted(e.msgstr) != [0]]

    assert len(messages) > 500
    assert not untranslated, f"Untranslated entries ({HINT}):\n" + "\n".join(untranslated)
    assert not fuzzy, "Fuzzy entries: check them and remove the flag:\n" + "\n".join(fuzzy)
    assert not wrong_plurals, "Vietnamese has one plural form, msgstr[0]:\n" + "\n".join(
        wrong_plurals
    )
    header = _header(entries)
    assert header["Language"] == "vi"
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"


def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    copy = tmp_path / "project"
    copy.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL") and not key.startswith("DJANGO_")
    }
    env.update(DJANGO_DEBUG="True", DJANGO_SETTINGS_MODULE="emulation.settings")

    result = subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-location",
            "--no-obsolete",
            "--ignore=.venv",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    wanted = [e for e in parse_po(copy / "locale/vi/LC_MESSAGES/django.po") if e.msgid]
    committed = {entry.key: entry for entry in parse_po(PO_FILE)}
    missing = [
        entry.label
        for entry in wanted
        if entry.key not in committed
        or not committed[entry.key].translated
        or "fuzzy" in committed[entry.key].flags
    ]
    assert len(wanted) > 500
    assert not missing, (
        f"{len(missing)} string(s) of the code are missing from the Vietnamese catalogue "
        f"or not translated there; {HINT}:\n" + "\n".join(missing)
    )


def test_the_committed_mo_is_compiled_from_the_committed_po():
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog

    stale = []
    for entry in parse_po(PO_FILE):
        if not entry.msgid:
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        found = catalog.get(msgid if entry.msgid_plural is None else (msgid, 0))
        if found != entry.msgstr[0]:
            stale.append(str(entry))
    assert not stale, (
        "locale/vi/LC_MESSAGES/django.mo differs from django.po; run "
        "`make messages` (or manage.py compilemessages) and commit the .mo:\n" + "\n".join(stale)
    )


def test_the_interface_speaks_vietnamese(settings):
    # Strings taken from the code and a template, not written here, so that makemessages
    # does not collect this file. The catalogue is named here, whatever a fixture chose.
    settings.LOCALE_PATHS = [str(ROOT / "locale")]
    from django.apps import apps
    from django.template import Context, Template

    from campaigns.enums import SubmissionState
    from campaigns.models import Submission

    plural = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} participating unit"
        "{% plural %}{{ counter }} participating units{% endblocktranslate %}"
    )
    with translation.override("vi"):
        seen = (
            str(SubmissionState.RETURNED.label),
            str(apps.get_app_config("campaigns").verbose_name),
            str(Submission._meta.verbose_name),
            plural.render(Context({"n": 3})),
        )

    assert seen == (
        "Trả lại để chỉnh sửa",
        "Phong trào thi đua",
        "bản tự đánh giá",
        "3 đơn vị tham gia",
    )
