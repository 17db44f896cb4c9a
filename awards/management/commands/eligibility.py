"""`manage.py eligibility`: verdicts on JSON records (eligibility.md §1), single or batch.

    manage.py eligibility RECORDS.json --title CODE --year YEAR --as-of YYYY-MM-DD
        [--rule-set CODE] [--set PARAMETER=VALUE ...]
    manage.py eligibility --batch REQUESTS.json

Verdicts go to standard output as JSON; a malformed record, an unknown title, parameter
or rule set stops with exit status 2 and a message naming it, nothing on standard output.
In a batch, a request that cannot be judged gets {"error": "…"} in its place."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from awards.eligibility import TITLES, UnknownTitle, judge
from awards.parameters import ParameterError
from awards.records import RecordError, from_json
from awards.rulesets import UnknownRuleSet, in_force


class Command(BaseCommand):
    requires_system_checks = []  # pure: it reads files and judges, no database
    help = _(
        "Judge records (JSON) for an emulation title or form of commendation and print "
        "the verdicts, with every rule checked and its legal basis, as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("records", nargs="?", help=_("A JSON file: one record or a list."))
        parser.add_argument("--title", help=_("The title or form code, e.g. LDTT."))
        parser.add_argument("--year", type=int, help=_("The year of the achievement judged."))
        parser.add_argument(
            "--as-of", dest="as_of", help=_("The date of the judgement, YYYY-MM-DD.")
        )
        parser.add_argument(
            "--rule-set", dest="rule_set", help=_("A rule set code (default: the one in force).")
        )
        parser.add_argument(
            "--set",
            dest="overrides",
            action="append",
            default=[],
            metavar="PARAMETER=VALUE",
            help=_("Override a rule set parameter for this run (value as JSON)."),
        )
        parser.add_argument("--batch", help=_("A JSON file: a list of judgement requests."))

    def handle(self, *args, records=None, batch=None, **options):
        if batch:
            result = [self.request(item, i) for i, item in enumerate(read(batch))]
        else:
            result = self.single(records, options)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=number))

    def single(self, path, options):
        if not path:
            fail(_("Give a RECORDS.json file, or --batch REQUESTS.json."))
        for name in ("title", "year", "as_of"):
            if options[name] is None:
                fail(_("--{name} is required.").format(name=name.replace("_", "-")))
        title = check_title(options["title"])
        as_of = parse_date(options["as_of"], "--as-of")
        overrides = dict(parse_override(text) for text in options["overrides"])
        code, parameters = rule_set(as_of, options["rule_set"], overrides)
        data = read(path)
        try:
            if isinstance(data, list):
                parsed = [from_json(item, f"[{i}]") for i, item in enumerate(data)]
            else:
                parsed = from_json(data)
        except RecordError as error:
            fail(_("Malformed record: {error}").format(error=error))
        if isinstance(parsed, list):
            return [
                judge(r, title, options["year"], as_of, parameters, code).to_json() for r in parsed
            ]
        return judge(parsed, title, options["year"], as_of, parameters, code).to_json()

    def request(self, item, index):
        """One request of a batch: its verdict, or {"error": …}."""
        try:
            if not isinstance(item, dict):
                raise CommandError(_("request [{index}]: expected an object").format(index=index))
            missing = [k for k in ("record", "title", "year", "as_of") if k not in item]
            if missing:
                raise CommandError(_("missing: {fields}").format(fields=", ".join(missing)))
            title = check_title(item["title"])
            year = item["year"]
            if isinstance(year, bool) or not isinstance(year, int):
                raise CommandError(_("year: expected a year, e.g. 2024"))
            as_of = parse_date(item["as_of"], "as_of")
            overrides = item.get("set") or {}
            if not isinstance(overrides, dict):
                raise CommandError(_("set: expected an object of parameter values"))
            code, parameters = rule_set(as_of, item.get("rule_set"), overrides)
            try:
                record = from_json(item["record"], "record")
            except RecordError as error:
                raise CommandError(_("Malformed record: {error}").format(error=error)) from None
            return judge(record, title, year, as_of, parameters, code).to_json()
        except CommandError as error:
            return {"error": str(error)}


def fail(message):
    raise CommandError(message, returncode=2)


def number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON: {value!r}")


def read(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        fail(_("Cannot read {path}: {error}").format(path=path, error=error.strerror))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        fail(_("{path} is not valid JSON: {error}").format(path=path, error=error))


def check_title(title):
    if title not in TITLES:
        fail(
            _("Unknown title {title}: expected one of {titles}.").format(
                title=title, titles=", ".join(TITLES)
            )
        )
    return title


def parse_date(text, name):
    try:
        if isinstance(text, str) and len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    fail(_("{name}: expected a date YYYY-MM-DD, got {value}.").format(name=name, value=text))
    return None


def parse_override(text):
    name, sep, value = text.partition("=")
    if not sep:
        fail(_("--set {text}: expected PARAMETER=VALUE.").format(text=text))
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


def rule_set(as_of, code, overrides):
    try:
        found, parameters = in_force(as_of, code)
        return found, parameters.override(overrides)
    except (UnknownRuleSet, ParameterError, UnknownTitle) as error:
        fail(str(error))
    return None
