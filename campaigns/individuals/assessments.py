"""Year-end assessments of a unit's people (campaigns.IndividualAssessment).

For each person: the annual performance grade, initiatives and their recognition,
discipline, months worked, notes and the individual title proposed; unit leaders are
also scored against the campaign's leader criteria (leader_scores holds
{criterion id (str): points (str)}). Rows are saved one at a time with an optimistic
lock on `version`, or many at once from an XLSX sheet through spreadsheets.specs.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.enums import (
    DisciplineLevel,
    PerformanceGrade,
    RecognitionLevel,
    Subject,
    TitleSubject,
)
from campaigns.models import Campaign, Criterion, IndividualAssessment, Period, Title
from campaigns.movement import criteria_tree
from campaigns.sheets import scoring
from spreadsheets.specs import (
    CellError,
    Column,
    ImportResult,
    Integer,
    Kind,
    Progress,
    Row,
    RowError,
    SheetSpec,
    Text,
    export_workbook,
    field_column,
    import_workbook,
)
from units.imports import runner
from units.models import Person, Unit

# The fields a user edits, in the order of the table and of the sheet.
FIELDS = (
    "grade",
    "initiatives",
    "initiative_level",
    "initiative_decision",
    "discipline_level",
    "discipline_from",
    "discipline_to",
    "months_worked",
    "notes",
    "proposed_title",
)
PER_PAGE = 50


@dataclass(frozen=True)
class UnitPeriod:
    """A unit in a year-end period as of a moment: the permission object of the
    assessment pages. `now` is the caller's (the request's, or the import job's
    when it runs): the rules read whether the period is open from it, since a
    django-rules predicate is given only the user and this object."""

    unit: Unit
    period: Period
    now: dt.datetime

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    @property
    def unit_id(self) -> int:
        return self.unit.pk

    @property
    def campaign(self) -> Campaign:
        return self.period.campaign


class StaleAssessment(Exception):
    """The row was saved by someone else after the user loaded it; `current` is the
    saved row (None if it was deleted)."""

    def __init__(self, current: IndividualAssessment | None):
        super().__init__("stale assessment")
        self.current = current


def leader_criteria(campaign: Campaign) -> list[Criterion]:
    """The leaf criteria of subject "unit leader", in display order (one query)."""
    criteria = criteria_tree.ordered(campaign.criteria.filter(subject=Subject.LEADER))
    return [row.criterion for row in criteria_tree.rows(criteria) if not row.is_section]


def scores_of(assessment: IndividualAssessment | None) -> dict[int, Decimal]:
    """The stored leader scores as Decimals keyed by criterion id."""
    if assessment is None:
        return {}
    return {int(key): Decimal(value) for key, value in assessment.leader_scores.items()}


def leader_total(assessment: IndividualAssessment | None, criteria: Sequence[Criterion]) -> Decimal:
    return scoring.total(criteria, scores_of(assessment))


# ---------------------------------------------------------------------------
# Validation and saving.


def clean_assessment(
    data: Mapping[str, Any], *, person: Person, criteria: Sequence[Criterion]
) -> dict[str, Any]:
    """Check what the unit entered for a person and return the values to store.

    `data` has the keys of FIELDS (proposed_title a Title or None) and leader_scores
    ({criterion id: text typed}). Raises ValidationError keyed by field, the leader
    scores under "leader_scores.<criterion id>" (or "leader_scores" for the row).
    """
    errors: dict[str, list[str]] = {}

    def error(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    cleaned = {name: data.get(name) for name in FIELDS}
    for name in ("grade", "initiatives", "initiative_level", "initiative_decision", "notes"):
        cleaned[name] = (cleaned[name] or "").strip()
    cleaned["discipline_level"] = (cleaned["discipline_level"] or "").strip()
    _check_choices(cleaned, error)
    _check_months(cleaned, error)
    _check_initiative(cleaned, error)
    _check_discipline(cleaned, error)
    _check_title(cleaned["proposed_title"], error)
    cleaned["leader_scores"] = _clean_scores(
        data.get("leader_scores") or {}, person, criteria, error
    )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_choices(cleaned: dict, error) -> None:
    allowed = {
        "grade": PerformanceGrade.values,
        "initiative_level": RecognitionLevel.values,
        "discipline_level": DisciplineLevel.values,
    }
    for name, values in allowed.items():
        if cleaned[name] and cleaned[name] not in values:
            error(name, _("Choose a value from the list."))


def _check_months(cleaned: dict, error) -> None:
    months = cleaned["months_worked"]
    if months is None or months == "":
        error("months_worked", _("Enter the months worked in the year (0 to 12)."))
    elif not isinstance(months, int) or not 0 <= months <= 12:
        error("months_worked", _("Months worked must be a whole number from 0 to 12."))


def _check_initiative(cleaned: dict, error) -> None:
    recognised = cleaned["initiative_level"] or cleaned["initiative_decision"]
    if recognised and not cleaned["initiatives"]:
        error(
            "initiatives",
            _("Describe the initiative or scientific work whose recognition is given."),
        )


def _check_discipline(cleaned: dict, error) -> None:
    level, starts, ends = (
        cleaned["discipline_level"],
        cleaned["discipline_from"],
        cleaned["discipline_to"],
    )
    if level:
        if starts is None:
            error("discipline_from", _("Enter the date the discipline takes effect."))
        if ends is None:
            error("discipline_to", _("Enter the date the discipline ends."))
    elif starts is not None or ends is not None:
        error("discipline_level", _("Choose the discipline level, or clear the dates."))
    if starts is not None and ends is not None and ends < starts:
        error("discipline_to", _("The discipline cannot end before it takes effect."))


def _check_title(title: Title | None, error) -> None:
    if title is None:
        return
    if title.subject != TitleSubject.INDIVIDUAL:
        error(
            "proposed_title",
            _("“{title}” is a collective title: propose an individual title.").format(title=title),
        )
    elif not title.active:
        error("proposed_title", _("“{title}” is no longer awarded.").format(title=title))


def _clean_scores(
    raw: Mapping, person: Person, criteria: Sequence[Criterion], error
) -> dict[str, str]:
    typed = {str(key): value for key, value in raw.items() if _filled(value)}
    if not typed:
        return {}
    if not person.is_leader:
        error("leader_scores", _("Only unit leaders are scored against the leader criteria."))
        return {}
    by_id = {str(c.pk): c for c in criteria}
    scores = {}
    for key, value in typed.items():
        criterion = by_id.get(key)
        if criterion is None:
            error("leader_scores", _("The leader criteria have changed: reload the page."))
            continue
        try:
            scores[key] = str(scoring.parse_score(criterion, value))
        except ValidationError as exc:
            error(f"leader_scores.{key}", " ".join(exc.messages))
    return scores


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def save_assessment(
    assessment: IndividualAssessment | None,
    *,
    period: Period,
    person: Person,
    by,
    now: dt.datetime,
    expected_version: int,
    data: Mapping[str, Any],
    criteria: Sequence[Criterion] | None = None,
) -> IndividualAssessment:
    """Create or update a person's assessment for the period and return it.

    `expected_version` is the version the user loaded (0 when there was no row): the
    update is refused with StaleAssessment when the row has moved on since, so
    nobody overwrites a colleague's save unknowingly. Raises PermissionDenied when
    `by` may not assess the unit's people at `now` and ValidationError (see
    clean_assessment) on bad input; nothing is saved in either case. `criteria` are
    the leader criteria when the caller has them (else one query loads them).
    """
    scope = UnitPeriod(person.unit, period, now)
    if not by.has_perm("campaigns.change_individual_assessments", scope):
        raise PermissionDenied
    if criteria is None:
        criteria = leader_criteria(period.campaign)
    cleaned = clean_assessment(data, person=person, criteria=criteria)
    if assessment is None:
        return _create(period, person, by, cleaned)
    changed = IndividualAssessment.objects.filter(
        pk=assessment.pk, version=expected_version
    ).update(**cleaned, version=F("version") + 1, updated_by=by, updated_at=now)
    current = _current(period, person)
    if not changed:
        raise StaleAssessment(current)
    return current


def _create(period: Period, person: Person, by, cleaned: dict) -> IndividualAssessment:
    try:
        with transaction.atomic():
            return IndividualAssessment.objects.create(
                period=period, person=person, updated_by=by, **cleaned
            )
    except IntegrityError:
        # Someone created the row between our read and this insert.
        raise StaleAssessment(_current(period, person)) from None


def _current(period: Period, person: Person) -> IndividualAssessment | None:
    return (
        IndividualAssessment.objects.filter(period=period, person=person)
        .select_related("proposed_title", "updated_by")
        .first()
    )


# ---------------------------------------------------------------------------
# The table of a unit's people.


@dataclass
class PersonRow:
    """A person of the unit with their assessment for the period, if any."""

    person: Person
    assessment: IndividualAssessment | None

    @property
    def version(self) -> int:
        return self.assessment.version if self.assessment else 0


def people_of(
    scope: UnitPeriod, *, leaders_only: bool = False, ungraded_only: bool = False
) -> QuerySet[Person]:
    """The unit's current people, leaders first, optionally only leaders or only
    those without a grade for the period."""
    people = Person.objects.filter(unit=scope.unit, active=True).order_by(
        "-is_leader", "full_name", "pk"
    )
    if leaders_only:
        people = people.filter(is_leader=True)
    if ungraded_only:
        graded = IndividualAssessment.objects.filter(period=scope.period).exclude(grade="")
        people = people.exclude(pk__in=graded.values("person_id"))
    return people


def rows_for(scope: UnitPeriod, people: Iterable[Person]) -> list[PersonRow]:
    """The people with their assessments, in one query for the assessments."""
    people = list(people)
    for person in people:
        person.unit = scope.unit  # spares a query per row when checking permissions
    assessments = {
        a.person_id: a
        for a in IndividualAssessment.objects.filter(
            period=scope.period, person__in=[p.pk for p in people]
        ).select_related("proposed_title", "updated_by")
    }
    for person in people:
        if person.pk in assessments:
            assessments[person.pk].person = person  # the export reads it on every row
    return [PersonRow(person, assessments.get(person.pk)) for person in people]


# ---------------------------------------------------------------------------
# XLSX: the same columns out and in.


class Score(Kind):
    """A leader score cell: read as typed, checked by scoring.parse_score later."""

    def parse(self, value: Any) -> str:
        if isinstance(value, bool):
            raise CellError(_("'{value}' is not a number.").format(value=value))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def to_cell(self, value: Any) -> Any:
        return None if value in (None, "") else float(Decimal(value))


@dataclass(frozen=True)
class ScoreColumn(Column):
    criterion_id: int = 0

    def value_of(self, obj) -> Any:
        return obj.leader_scores.get(str(self.criterion_id))


class AssessmentSheet(SheetSpec):
    """The assessments of a unit's people for a period, one row per person, found by
    employee code among the unit's current people. A column left out of the file
    keeps the saved value; an empty cell clears it (months worked: back to 12)."""

    model = IndividualAssessment
    title = gettext_lazy("Individual assessments")
    key_columns = ("employee_code",)
    related_fields = (
        "period",
        "person",
        "proposed_title",
        "leader_scores",
        "version",
        "updated_by",
        "updated_at",
    )

    def __init__(self, scope: UnitPeriod, criteria: Sequence[Criterion], by=None):
        self.scope = scope
        self.criteria = list(criteria)
        self.by = by
        self.columns = self._columns()
        self._found: dict[str, IndividualAssessment] = {}

    def _columns(self) -> tuple[Column, ...]:
        model = IndividualAssessment
        return (
            Column(
                "employee_code",
                gettext_lazy("Employee code"),
                Text(40),
                required=True,
                source="person.employee_code",
                assign=False,
            ),
            Column(
                "full_name",
                gettext_lazy("Full name"),
                Text(150),
                source="person.full_name",
                assign=False,
            ),
            field_column(model, "grade"),
            field_column(model, "initiatives"),
            field_column(model, "initiative_level"),
            field_column(model, "initiative_decision"),
            field_column(model, "discipline_level"),
            field_column(model, "discipline_from"),
            field_column(model, "discipline_to"),
            field_column(model, "months_worked", kind=Integer(0, 12)),
            field_column(model, "notes"),
            Column(
                "proposed_title",
                gettext_lazy("Proposed title (code)"),
                Text(200),
                source="proposed_title.code",
                assign=False,
            ),
            *(
                ScoreColumn(
                    f"leader_{c.pk}",
                    format_lazy(gettext_lazy("Leader criterion {code}"), code=c.code),
                    Score(),
                    assign=False,
                    criterion_id=c.pk,
                )
                for c in self.criteria
            ),
        )

    def export_objects(self) -> list[IndividualAssessment]:
        """Every current person of the unit, with an unsaved row for those not yet
        assessed, so the sheet doubles as the form to fill."""
        people = list(people_of(self.scope))
        rows = rows_for(self.scope, people)
        return [
            row.assessment or IndividualAssessment(period=self.scope.period, person=row.person)
            for row in rows
        ]

    def check(self, rows: list[Row], present: set[str]) -> list[RowError]:
        codes = {row.values["employee_code"] for row in rows}
        people = {
            p.employee_code: p
            for p in Person.objects.filter(
                unit=self.scope.unit, active=True, employee_code__in=codes
            )
        }
        self._found = {
            a.person.employee_code: a
            for a in IndividualAssessment.objects.filter(
                period=self.scope.period, person__in=people.values()
            ).select_related("person", "proposed_title")
        }
        titles = _titles_by_name()
        errors: list[RowError] = []
        for row in rows:
            errors.extend(self._check_row(row, present, people, titles))
        return errors

    def _check_row(self, row: Row, present: set[str], people: dict, titles: dict):
        code = row.values["employee_code"]
        person = people.get(code)
        if person is None:
            message = _("no current member of this unit has the employee code '{code}'.")
            return [RowError(row.number, self.header("employee_code"), message.format(code=code))]
        person.unit = self.scope.unit
        data, errors = self._merged(row, present, person, titles)
        try:
            row.related["cleaned"] = clean_assessment(data, person=person, criteria=self.criteria)
        except ValidationError as exc:
            errors.extend(
                RowError(row.number, self._column_for(key), message)
                for key, messages in exc.message_dict.items()
                for message in messages
            )
        row.related["person"] = person
        return errors

    def _merged(self, row: Row, present: set[str], person: Person, titles: dict):
        """The saved values (or the defaults) overlaid with the columns in the file.
        Saved scores of criteria since removed, or of a person no longer leading the
        unit, are dropped rather than reported."""
        saved = self._found.get(person.employee_code) or IndividualAssessment()
        data = {name: getattr(saved, name) for name in FIELDS}
        current = {str(c.pk) for c in self.criteria} if person.is_leader else set()
        data["leader_scores"] = {k: v for k, v in saved.leader_scores.items() if k in current}
        errors = []
        for column in self.columns:
            if column.key not in present or column.key in ("employee_code", "full_name"):
                continue
            value = row.values[column.key]
            if isinstance(column, ScoreColumn):
                data["leader_scores"][str(column.criterion_id)] = value
            elif column.key == "proposed_title":
                data["proposed_title"] = titles.get(_normal(value)) if value else None
                if value and data["proposed_title"] is None:
                    message = _("no title with the code or name '{title}'.").format(title=value)
                    errors.append(RowError(row.number, self.header("proposed_title"), message))
            elif value is None:
                data[column.key] = 12 if column.key == "months_worked" else None
            else:
                data[column.key] = value
        return data, errors

    def _column_for(self, key: str) -> str:
        if key.startswith("leader_scores."):
            return self.header(f"leader_{key.split('.', 1)[1]}")
        if key == "leader_scores":
            return str(self.columns[-1].header) if self.criteria else ""
        return self.header(key)

    def existing(self, keys: set[tuple]) -> dict[tuple, IndividualAssessment]:
        codes = [code for (code,) in keys]
        found = (
            IndividualAssessment.objects.select_for_update()
            .filter(period=self.scope.period, person__unit=self.scope.unit)
            .filter(person__employee_code__in=codes)
            .select_related("person")
        )
        return {(a.person.employee_code,): a for a in found}

    def apply(self, obj, row, saved):
        """Copy the checked values; the version moves on only when something changed,
        so a sheet imported twice leaves the rows (and their versions) alone."""
        cleaned = row.related["cleaned"]
        changed = obj.pk is None or any(
            _stored(obj, name) != _stored_value(value) for name, value in cleaned.items()
        )
        for name, value in cleaned.items():
            setattr(obj, name, value)
        obj.period = self.scope.period
        obj.person = row.related["person"]
        if changed:
            obj.updated_by = self.by
            obj.updated_at = self.scope.now
            if obj.pk is not None:
                obj.version += 1


def _stored(obj: IndividualAssessment, name: str) -> Any:
    return obj.proposed_title_id if name == "proposed_title" else getattr(obj, name)


def _stored_value(value: Any) -> Any:
    return value.pk if isinstance(value, Title) else value


def _titles_by_name() -> dict[str, Title]:
    titles = {}
    for title in Title.objects.all():
        for name in (title.code, title.name_vi, title.name_en):
            titles.setdefault(_normal(name), title)
    return titles


def _normal(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def export_assessments(scope: UnitPeriod, criteria: Sequence[Criterion]) -> bytes:
    """The unit's people and their assessments as an .xlsx in the active language."""
    sheet = AssessmentSheet(scope, criteria)
    return export_workbook(sheet, sheet.export_objects())


def import_assessments(
    file,
    *,
    scope: UnitPeriod,
    by,
    criteria: Sequence[Criterion],
    progress: Progress | None = None,
) -> ImportResult:
    """Read a sheet of assessments and save every row, or none when any row is bad
    (ImportResult lists each bad row with its number, column and reason). Rows are
    created or updated whatever their version, which moves on by one."""
    if not by.has_perm("campaigns.change_individual_assessments", scope):
        raise PermissionDenied
    return import_workbook(file, AssessmentSheet(scope, criteria, by), progress)


IMPORT_KIND = "campaigns.assessments"


def import_params(scope: UnitPeriod) -> dict:
    """What a background import of this unit's assessments needs to find it again."""
    return {"period": scope.period.pk, "unit": scope.unit.pk}


@runner(IMPORT_KIND)
def run_import(params: dict, by, file, progress: Progress | None) -> ImportResult:
    """An import of assessments, in the request or by a worker (units.imports): the
    permission is checked again when it runs, and a closed period refuses it. A runner
    is the edge of the import job (units.imports), so it reads the clock, once."""
    period = Period.objects.select_related("campaign").get(pk=params["period"])
    scope = UnitPeriod(Unit.objects.get(pk=params["unit"]), period, timezone.now())
    try:
        return import_assessments(
            file,
            scope=scope,
            by=by,
            criteria=leader_criteria(period.campaign),
            progress=progress,
        )
    except PermissionDenied:
        return ImportResult(problem=_("You may no longer change the assessments of this unit."))


def export_filename(scope: UnitPeriod, today: dt.date) -> str:
    return f"assessments-{scope.unit.code}-{scope.campaign.year}-{today:%Y%m%d}.xlsx"
