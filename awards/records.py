"""The records the eligibility engine judges (eligibility.md §2 an individual, §3 a
collective), read from their JSON interchange format into frozen values, and written
back (to_json) so that a record round-trips.

Fields the format does not name (notes, document references, names of initiatives) are
ignored; a named field of the wrong type or an unknown code raises RecordError with the
field's path ("grades.2024", "discipline[0].level") and what it allows. Title and form
codes in a history (titles, awards, used_for, unit_titles) are catalogue codes, which
are data: any UPPER_SNAKE code is accepted there."""

import datetime as dt
import re
from dataclasses import dataclass, field

from awards.parameters import DISCIPLINE_LEVELS, TASK_COMPLETIONS, TRAINING_RESULTS

GRADES = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
AWARD_KINDS = ("regular", "thematic", "extraordinary")
INITIATIVE_TYPES = ("initiative", "sci_work")
INITIATIVE_SCOPES = ("co_so", "bo", "toan_quoc")
PROCESS_TYPES = ("disciplinary_review", "inspection", "investigation", "complaint")
LEAVE_TYPES = ("maternity", "sick", "injury", "unpaid")
GROUPING_TYPES = ("block", "cluster")
CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")


class RecordError(ValueError):
    """A record that cannot be read: names the field's path and what it allows."""

    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


# Individual (§2)


@dataclass(frozen=True)
class TitleHeld:
    year: int
    title: str
    decision: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Award:
    form: str
    achievement_year: int
    kind: str = "regular"
    decision: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Use:
    code: str
    year: int


@dataclass(frozen=True)
class Initiative:
    id: str
    type: str
    scope: str
    recognized: dt.date | None = None
    decision: str | None = None
    used_for: tuple[Use, ...] = ()


@dataclass(frozen=True)
class Discipline:
    level: str
    decided: dt.date | None = None
    decision: str | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None


@dataclass(frozen=True)
class OpenProcess:
    type: str
    opened: dt.date | None = None
    closed: dt.date | None = None

    def open_on(self, as_of: dt.date) -> bool:
        """Open while not closed, or closed only after the as-of date."""
        started = self.opened is None or self.opened <= as_of
        return started and (self.closed is None or self.closed > as_of)


@dataclass(frozen=True)
class Leave:
    type: str
    start: dt.date
    end: dt.date
    statutory: bool = False


@dataclass(frozen=True)
class Training:
    start: dt.date
    end: dt.date
    course: str | None = None
    compliant: bool = True
    completed: bool = True
    result: str | None = None


@dataclass(frozen=True)
class Transfer:
    date: dt.date
    from_unit: str | None = None
    old_unit_comments: bool = False


@dataclass(frozen=True)
class UnitContext:
    ldtt_recipients: int | None = None
    cstdcs_rank: int | None = None


@dataclass(frozen=True)
class PersonRecord:
    person_id: str
    name: str | None = None
    position: str | None = None
    unit: str | None = None
    start_date: dt.date | None = None
    prior_contract_same_agency_from: dt.date | None = None
    unit_join_date: dt.date | None = None
    is_leader: bool = False
    leader_of: str | None = None
    grades: dict = field(default_factory=dict)  # year → grade or None
    conduct_ok: dict = field(default_factory=dict)  # year → bool
    titles: tuple[TitleHeld, ...] = ()
    awards: tuple[Award, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    discipline: tuple[Discipline, ...] = ()
    open_processes: tuple[OpenProcess, ...] = ()
    leave: tuple[Leave, ...] = ()
    training: tuple[Training, ...] = ()
    transfer: Transfer | None = None
    unit_titles: dict = field(default_factory=dict)  # year → tuple of codes
    unit_context: UnitContext = UnitContext()

    @property
    def record_id(self) -> str:
        return self.person_id

    def titles_in(self, year: int) -> set[str]:
        return {t.title for t in self.titles if t.year == year}


# Collective (§3)


@dataclass(frozen=True)
class Unit:
    unit_id: str
    name: str | None = None
    parent: str | None = None
    task_completion: str | None = None
    emulation_active: bool = False
    unity_compliance: bool = False
    exceeded_targets: bool = False
    new_model: bool = False
    thrift_anticorruption: bool = False
    party_mass_orgs_clean: bool = False
    open_processes: tuple[OpenProcess, ...] = ()
    dissolved_on: dt.date | None = None


@dataclass(frozen=True)
class Member:
    id: str
    grade: str | None = None
    titles: tuple[str, ...] = ()
    start_date: dt.date | None = None
    discipline: tuple[Discipline, ...] = ()


@dataclass(frozen=True)
class Grouping:
    type: str = "block"
    name: str | None = None
    members_count: int | None = None
    rank: int | None = None
    acclaimed_leader: bool = False
    score: float | None = None


@dataclass(frozen=True)
class FlagContext:
    block_cluster_leaders: int | None = None
    cp_rank: int | None = None


@dataclass(frozen=True)
class CollectiveRecord:
    unit: Unit
    members: tuple[Member, ...] = ()
    grouping: Grouping | None = None
    ministry_flag_context: FlagContext | None = None

    @property
    def record_id(self) -> str:
        return self.unit.unit_id


# Reading


class _Reader:
    """One JSON object at a path; each getter checks the type and names the path."""

    def __init__(self, data, path: str):
        if not isinstance(data, dict):
            raise RecordError(path, f"expected an object, got {_kind(data)}")
        self.data = data
        self.path = path

    def at(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def get(self, name: str, check, default=None, required=False):
        if name not in self.data or (self.data[name] is None and not required):
            if required:
                raise RecordError(self.at(name), "is required")
            return default
        return check(self.data[name], self.at(name))

    def items(self, name: str, check) -> tuple:
        value = self.data.get(name)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise RecordError(self.at(name), f"expected a list, got {_kind(value)}")
        return tuple(check(item, f"{self.at(name)}[{i}]") for i, item in enumerate(value))


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {dict: "an object", list: "a list", str: "a string"}.get(
        type(value), f"a number ({value!r})"
    )


def _text(value, path):
    if not isinstance(value, str):
        raise RecordError(path, f"expected a string, got {_kind(value)}")
    return value


def _ident(value, path):
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value, path)


def _bool(value, path):
    if not isinstance(value, bool):
        raise RecordError(path, f"expected true or false, got {_kind(value)}")
    return value


def _int(value, path):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RecordError(path, f"expected a whole number ≥ 0, got {_kind(value)}")
    return value


def _number(value, path):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(path, f"expected a number, got {_kind(value)}")
    return value


def _date(value, path):
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise RecordError(path, f"expected a date YYYY-MM-DD, got {value!r}")


def _year(value, path):
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        raise RecordError(path, f"expected a year (e.g. 2024), got {_kind(value)}")
    return value


def _choice(allowed):
    def check(value, path):
        if value not in allowed:
            raise RecordError(path, f"expected one of {', '.join(allowed)}, got {value!r}")
        return value

    return check


def _code(value, path):
    if not isinstance(value, str) or not CODE.match(value):
        raise RecordError(path, f"expected a title or form code (e.g. LDTT), got {value!r}")
    return value


def _by_year(reader: _Reader, name: str, check) -> dict:
    value = reader.data.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordError(reader.at(name), f"expected an object by year, got {_kind(value)}")
    out = {}
    for key, item in value.items():
        path = f"{reader.at(name)}.{key}"
        if not (isinstance(key, str) and key.isdigit() and 1900 <= int(key) <= 2200):
            raise RecordError(path, 'expected a year as key (e.g. "2024")')
        out[int(key)] = check(item, path)
    return out


def _grade_or_null(value, path):
    return None if value is None else _choice(GRADES)(value, path)


def _codes(value, path):
    if not isinstance(value, list):
        raise RecordError(path, f"expected a list of codes, got {_kind(value)}")
    return tuple(_code(v, f"{path}[{i}]") for i, v in enumerate(value))


def _title_held(data, path):
    r = _Reader(data, path)
    return TitleHeld(
        year=r.get("year", _year, required=True),
        title=r.get("title", _code, required=True),
        decision=r.get("decision", _text),
        date=r.get("date", _date),
    )


def _award(data, path):
    r = _Reader(data, path)
    return Award(
        form=r.get("form", _code, required=True),
        achievement_year=r.get("achievement_year", _year, required=True),
        kind=r.get("kind", _choice(AWARD_KINDS), "regular"),
        decision=r.get("decision", _text),
        date=r.get("date", _date),
    )


def _use(data, path):
    r = _Reader(data, path)
    return Use(code=r.get("code", _code, required=True), year=r.get("year", _year, required=True))


def _initiative(data, path):
    r = _Reader(data, path)
    return Initiative(
        id=r.get("id", _ident, required=True),
        type=r.get("type", _choice(INITIATIVE_TYPES), required=True),
        scope=r.get("scope", _choice(INITIATIVE_SCOPES), required=True),
        recognized=r.get("recognized", _date),
        decision=r.get("decision", _text),
        used_for=r.items("used_for", _use),
    )


def _discipline(data, path):
    r = _Reader(data, path)
    return Discipline(
        level=r.get("level", _choice(DISCIPLINE_LEVELS), required=True),
        decided=r.get("decided", _date),
        decision=r.get("decision", _text),
        effective_from=r.get("effective_from", _date),
        effective_to=r.get("effective_to", _date),
    )


def _process(data, path):
    r = _Reader(data, path)
    return OpenProcess(
        type=r.get("type", _choice(PROCESS_TYPES), required=True),
        opened=r.get("opened", _date),
        closed=r.get("closed", _date),
    )


def _leave(data, path):
    r = _Reader(data, path)
    return Leave(
        type=r.get("type", _choice(LEAVE_TYPES), required=True),
        start=r.get("from", _date, required=True),
        end=r.get("to", _date, required=True),
        statutory=r.get("statutory", _bool, False),
    )


def _training(data, path):
    r = _Reader(data, path)
    return Training(
        course=r.get("course", _text),
        start=r.get("from", _date, required=True),
        end=r.get("to", _date, required=True),
        compliant=r.get("compliant", _bool, True),
        completed=r.get("completed", _bool, True),
        result=r.get("result", _choice(TRAINING_RESULTS)),
    )


def _transfer(data, path):
    r = _Reader(data, path)
    return Transfer(
        from_unit=r.get("from_unit", _text),
        date=r.get("date", _date, required=True),
        old_unit_comments=r.get("old_unit_comments", _bool, False),
    )


def _unit_context(data, path):
    r = _Reader(data, path)
    return UnitContext(
        ldtt_recipients=r.get("ldtt_recipients", _int),
        cstdcs_rank=r.get("cstdcs_rank", _int),
    )


def person_from_json(data, path: str = "") -> PersonRecord:
    r = _Reader(data, path)
    return PersonRecord(
        person_id=r.get("person_id", _ident, required=True),
        name=r.get("name", _text),
        position=r.get("position", _text),
        unit=r.get("unit", _text),
        start_date=r.get("start_date", _date),
        prior_contract_same_agency_from=r.get("prior_contract_same_agency_from", _date),
        unit_join_date=r.get("unit_join_date", _date),
        is_leader=r.get("is_leader", _bool, False),
        leader_of=r.get("leader_of", _text),
        grades=_by_year(r, "grades", _grade_or_null),
        conduct_ok=_by_year(r, "conduct_ok", _bool),
        titles=r.items("titles", _title_held),
        awards=r.items("awards", _award),
        initiatives=r.items("initiatives", _initiative),
        discipline=r.items("discipline", _discipline),
        open_processes=r.items("open_processes", _process),
        leave=r.items("leave", _leave),
        training=r.items("training", _training),
        transfer=r.get("transfer", _transfer),
        unit_titles=_by_year(r, "unit_titles", _codes),
        unit_context=r.get("unit_context", _unit_context, UnitContext()),
    )


def _unit(data, path):
    r = _Reader(data, path)
    return Unit(
        unit_id=r.get("unit_id", _ident, required=True),
        name=r.get("name", _text),
        parent=r.get("parent", _text),
        task_completion=r.get("task_completion", _choice(TASK_COMPLETIONS)),
        emulation_active=r.get("emulation_active", _bool, False),
        unity_compliance=r.get("unity_compliance", _bool, False),
        exceeded_targets=r.get("exceeded_targets", _bool, False),
        new_model=r.get("new_model", _bool, False),
        thrift_anticorruption=r.get("thrift_anticorruption", _bool, False),
        party_mass_orgs_clean=r.get("party_mass_orgs_clean", _bool, False),
        open_processes=r.items("open_processes", _process),
        dissolved_on=r.get("dissolved_on", _date),
    )


def _member(data, path):
    r = _Reader(data, path)
    return Member(
        id=r.get("id", _ident, required=True),
        grade=r.get("grade", _choice(GRADES)),
        titles=r.get("titles", _codes, ()),
        start_date=r.get("start_date", _date),
        discipline=r.items("discipline", _discipline),
    )


def _grouping(data, path):
    r = _Reader(data, path)
    return Grouping(
        type=r.get("type", _choice(GROUPING_TYPES), "block"),
        name=r.get("name", _text),
        members_count=r.get("members_count", _int),
        rank=r.get("rank", _int),
        acclaimed_leader=r.get("acclaimed_leader", _bool, False),
        score=r.get("score", _number),
    )


def _flag_context(data, path):
    r = _Reader(data, path)
    return FlagContext(
        block_cluster_leaders=r.get("block_cluster_leaders", _int),
        cp_rank=r.get("cp_rank", _int),
    )


def collective_from_json(data, path: str = "") -> CollectiveRecord:
    r = _Reader(data, path)
    return CollectiveRecord(
        unit=r.get("unit", _unit, required=True),
        members=r.items("members", _member),
        grouping=r.get("grouping", _grouping),
        ministry_flag_context=r.get("ministry_flag_context", _flag_context),
    )


def from_json(data, path: str = "") -> PersonRecord | CollectiveRecord:
    """An individual's record (it has person_id) or a collective's (it has unit as an
    object)."""
    if isinstance(data, dict) and isinstance(data.get("unit"), dict):
        return collective_from_json(data, path)
    if isinstance(data, dict) and "person_id" not in data and "unit" not in data:
        raise RecordError(path, "expected a person's record (person_id) or a unit's (unit)")
    return person_from_json(data, path)


# Writing


def _d(value: dt.date | None):
    return value.isoformat() if value is not None else None


def _discipline_json(d: Discipline) -> dict:
    return {
        "level": d.level,
        "decided": _d(d.decided),
        "decision": d.decision,
        "effective_from": _d(d.effective_from),
        "effective_to": _d(d.effective_to),
    }


def _process_json(p: OpenProcess) -> dict:
    return {"type": p.type, "opened": _d(p.opened), "closed": _d(p.closed)}


def _person_json(p: PersonRecord) -> dict:
    return {
        "person_id": p.person_id,
        "name": p.name,
        "position": p.position,
        "unit": p.unit,
        "start_date": _d(p.start_date),
        "prior_contract_same_agency_from": _d(p.prior_contract_same_agency_from),
        "unit_join_date": _d(p.unit_join_date),
        "is_leader": p.is_leader,
        "leader_of": p.leader_of,
        "grades": {str(y): g for y, g in sorted(p.grades.items())},
        "conduct_ok": {str(y): v for y, v in sorted(p.conduct_ok.items())},
        "titles": [
            {"year": t.year, "title": t.title, "decision": t.decision, "date": _d(t.date)}
            for t in p.titles
        ],
        "awards": [
            {
                "form": a.form,
                "achievement_year": a.achievement_year,
                "kind": a.kind,
                "decision": a.decision,
                "date": _d(a.date),
            }
            for a in p.awards
        ],
        "initiatives": [
            {
                "id": i.id,
                "type": i.type,
                "scope": i.scope,
                "recognized": _d(i.recognized),
                "decision": i.decision,
                "used_for": [{"code": u.code, "year": u.year} for u in i.used_for],
            }
            for i in p.initiatives
        ],
        "discipline": [_discipline_json(d) for d in p.discipline],
        "open_processes": [_process_json(o) for o in p.open_processes],
        "leave": [
            {"type": v.type, "from": _d(v.start), "to": _d(v.end), "statutory": v.statutory}
            for v in p.leave
        ],
        "training": [
            {
                "course": t.course,
                "from": _d(t.start),
                "to": _d(t.end),
                "compliant": t.compliant,
                "completed": t.completed,
                "result": t.result,
            }
            for t in p.training
        ],
        "transfer": None
        if p.transfer is None
        else {
            "from_unit": p.transfer.from_unit,
            "date": _d(p.transfer.date),
            "old_unit_comments": p.transfer.old_unit_comments,
        },
        "unit_titles": {str(y): list(c) for y, c in sorted(p.unit_titles.items())},
        "unit_context": {
            "ldtt_recipients": p.unit_context.ldtt_recipients,
            "cstdcs_rank": p.unit_context.cstdcs_rank,
        },
    }


def _collective_json(c: CollectiveRecord) -> dict:
    u = c.unit
    g = c.grouping
    f = c.ministry_flag_context
    return {
        "unit": {
            "unit_id": u.unit_id,
            "name": u.name,
            "parent": u.parent,
            "task_completion": u.task_completion,
            "emulation_active": u.emulation_active,
            "unity_compliance": u.unity_compliance,
            "exceeded_targets": u.exceeded_targets,
            "new_model": u.new_model,
            "thrift_anticorruption": u.thrift_anticorruption,
            "party_mass_orgs_clean": u.party_mass_orgs_clean,
            "open_processes": [_process_json(o) for o in u.open_processes],
            "dissolved_on": _d(u.dissolved_on),
        },
        "members": [
            {
                "id": m.id,
                "grade": m.grade,
                "titles": list(m.titles),
                "start_date": _d(m.start_date),
                "discipline": [_discipline_json(d) for d in m.discipline],
            }
            for m in c.members
        ],
        "grouping": None
        if g is None
        else {
            "type": g.type,
            "name": g.name,
            "members_count": g.members_count,
            "rank": g.rank,
            "acclaimed_leader": g.acclaimed_leader,
            "score": g.score,
        },
        "ministry_flag_context": None
        if f is None
        else {"block_cluster_leaders": f.block_cluster_leaders, "cp_rank": f.cp_rank},
    }


def to_json(record: PersonRecord | CollectiveRecord) -> dict:
    """The record in the JSON format it was read from (from_json(to_json(r)) == r)."""
    if isinstance(record, CollectiveRecord):
        return _collective_json(record)
    return _person_json(record)
