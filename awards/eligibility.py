"""The eligibility engine: a record (awards.records), a title or form, the year of the
achievement, the as-of date and a rule set's parameters → a Verdict that lists every
rule checked, met or not, each with a Vietnamese sentence naming the fact it used and
its legal basis. Pure: no query, no clock; the record is built before.

Rule codes are stable and documented in docs/eligibility-rules.md. The sentences live
in awards/sentences.py."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from awards import sentences as s
from awards.parameters import DISCIPLINE_LEVELS, TASK_COMPLETIONS, TRAINING_RESULTS, Parameters
from awards.records import CollectiveRecord, Discipline, Initiative, PersonRecord

GOOD = ("HTTNV", "HTXSNV")
COMPLETED = ("HTNV", "HTTNV", "HTXSNV")
INDIVIDUAL = ("LDTT", "CSTDCS", "CSTD_BO", "CSTD_TQ", "BK_BO", "BK_TTG", "HCLD3")
COLLECTIVE = ("TTLDTT", "TTLDXS", "CO_BO", "CO_CP")
TITLES = INDIVIDUAL + COLLECTIVE


class UnknownTitle(LookupError):
    """A title or form the engine does not judge."""


@dataclass(frozen=True)
class Reason:
    rule: str
    met: bool
    text: str
    legal_basis: str

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "met": self.met,
            "text": self.text,
            "legal_basis": self.legal_basis,
        }


@dataclass(frozen=True)
class Verdict:
    record: str
    title: str
    year: int
    eligible: bool
    rule_set: str
    parameters_overridden: dict = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()

    def to_json(self) -> dict:
        return {
            "record": self.record,
            "title": self.title,
            "year": self.year,
            "eligible": self.eligible,
            "rule_set": self.rule_set,
            "parameters_overridden": dict(self.parameters_overridden),
            "reasons": [r.to_json() for r in self.reasons],
        }

    @property
    def failing(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if not r.met)


def judge(
    record, title: str, year: int, as_of: dt.date, parameters: Parameters, rule_set_code: str
) -> Verdict:
    """The verdict on `record` for `title` of `year`, judged on `as_of`."""
    if title not in TITLES:
        raise UnknownTitle(f"unknown title: {title} (judged: {', '.join(TITLES)})")
    ctx = _Context(record, year, as_of, parameters, s.Bases(rule_set_code))
    expected = PersonRecord if title in INDIVIDUAL else CollectiveRecord
    if not isinstance(record, expected):
        ctx.add(
            "RECORD_KIND",
            False,
            s.WRONG_RECORD.format(
                title=s.title(title),
                expected="cá nhân" if expected is PersonRecord else "tập thể",
                got="tập thể" if expected is PersonRecord else "cá nhân",
            ),
            ctx.bases.law("Điều 9"),
        )
    else:
        JUDGES[title](ctx)
    reasons = tuple(ctx.reasons)
    return Verdict(
        record=record.record_id,
        title=title,
        year=year,
        eligible=all(r.met for r in reasons),
        rule_set=rule_set_code,
        parameters_overridden=dict(parameters.overridden),
        reasons=reasons,
    )


@dataclass
class _Context:
    record: object
    year: int
    as_of: dt.date
    p: Parameters
    bases: s.Bases
    reasons: list = field(default_factory=list)

    def add(self, rule: str, met: bool, text: str, basis: str) -> bool:
        self.reasons.append(Reason(rule, bool(met), text, basis))
        return bool(met)


# Helpers on dates and counts


def _months_from(start: dt.date, year: int) -> int:
    """Whole months of `year` from `start` to its end (a start on the 1st counts its month)."""
    if start <= dt.date(year, 1, 1):
        return 12
    if start.year > year:
        return 0
    return 12 - start.month + (1 if start.day == 1 else 0)


def _months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (end inclusive)."""
    end = end + dt.timedelta(days=1)
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def _overlap(start: dt.date, end: dt.date, year: int) -> tuple[dt.date, dt.date] | None:
    first, last = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
    return (first, last) if first <= last else None


def _working_days(start: dt.date, end: dt.date) -> int:
    days, current = 0, start
    while current <= end:
        days += current.weekday() < 5
        current += dt.timedelta(days=1)
    return days


def _quota(count: int, share: Decimal, rounding: str) -> int:
    mode = ROUND_FLOOR if rounding == "floor" else ROUND_HALF_UP
    return int((Decimal(count) * share).to_integral_value(rounding=mode))


def _share_text(share: Decimal) -> str:
    return s.percent(share)


def _at_least(level: str, bar: str) -> bool:
    return DISCIPLINE_LEVELS.index(level) >= DISCIPLINE_LEVELS.index(bar)


# Shared rules of an individual


def _tenure(ctx: _Context) -> None:
    r: PersonRecord = ctx.record
    start = r.start_date
    prior = r.prior_contract_same_agency_from
    note = ""
    if prior is not None and (start is None or prior < start):
        if ctx.p.tenure_counts_prior_contract_same_agency:
            start = prior
            note = s.TENURE_PRIOR.format(prior=s.day(prior))
        else:
            note = s.TENURE_PRIOR_NOT.format(prior=s.day(prior))
    basis = f"{ctx.bases.special_cases} khoản 5 điểm d"
    if start is None or start <= dt.date(ctx.year, 1, 1):
        since = s.day(start) if start else "trước năm được xét"
        ctx.add("TENURE", True, s.TENURE_FULL.format(year=ctx.year, since=since) + note, basis)
        return
    months = _months_from(start, ctx.year)
    minimum = ctx.p.min_months_employed
    template = s.TENURE_OK if months >= minimum else s.TENURE_SHORT
    text = template.format(year=ctx.year, months=months, since=s.day(start), minimum=minimum)
    ctx.add("TENURE", months >= minimum, text + note, basis)


def _leave_counts(ctx: _Context, kind: str, statutory: bool) -> bool:
    if kind == "maternity":
        return statutory and ctx.p.maternity_counts_as_working_time
    if kind == "injury":
        return True
    return kind == "sick" and statutory


def _working_time(ctx: _Context) -> None:
    r: PersonRecord = ctx.record
    spans = [(leave, _overlap(leave.start, leave.end, ctx.year)) for leave in r.leave]
    spans = [(leave, span) for leave, span in spans if span]
    if not spans:
        return
    start = r.start_date
    if r.prior_contract_same_agency_from and ctx.p.tenure_counts_prior_contract_same_agency:
        start = min(filter(None, (start, r.prior_contract_same_agency_from)))
    months = _months_from(start, ctx.year) if start else 12
    parts = []
    lost_days = 0
    for leave, (first, last) in spans:
        counted = _leave_counts(ctx, leave.type, leave.statutory)
        template = s.LEAVE_COUNTED if counted else s.LEAVE_NOT_COUNTED
        parts.append(
            template.format(
                kind=s.LEAVE_NAMES[leave.type], start=s.day(leave.start), end=s.day(leave.end)
            )
        )
        if not counted:
            lost_days += (last - first).days + 1
    months -= round(lost_days / 30.4)
    minimum = ctx.p.min_months_employed
    ctx.add(
        "WORKING_TIME",
        months >= minimum,
        s.WORKING_TIME.format(
            year=ctx.year,
            leaves="; ".join(parts),
            months=max(months, 0),
            verdict="đạt" if months >= minimum else "chưa đạt",
            minimum=minimum,
        ),
        ctx.bases.principles,
    )
    limit = ctx.p.absence_exclusion_working_days
    if limit is not None:
        days = sum(
            _working_days(*span)
            for leave, span in spans
            if not _leave_counts(ctx, leave.type, leave.statutory)
        )
        ctx.add(
            "ABSENCE",
            days < limit,
            s.ABSENCE.format(year=ctx.year, days=days, limit=limit),
            "Quy chế thi đua, khen thưởng của Bộ",
        )


def _training(ctx: _Context) -> None:
    r: PersonRecord = ctx.record
    p = ctx.p
    for course in r.training:
        if not _overlap(course.start, course.end, ctx.year):
            continue
        months = _months_between(course.start, course.end)
        long = months >= p.training_long_min_months
        problems = []
        if not course.compliant:
            problems.append("không chấp hành quy định của cơ sở đào tạo")
        completion = ""
        if long:
            if not course.completed:
                problems.append("chưa hoàn thành khóa học")
            minimum = TRAINING_RESULTS.index(p.training_min_result)
            if course.result is None or TRAINING_RESULTS.index(course.result) > minimum:
                problems.append(
                    f"kết quả {s.TRAINING_NAMES[course.result]}, "
                    f"dưới mức {s.TRAINING_NAMES[p.training_min_result]}"
                )
            completion = s.TRAINING_LONG.format(
                result=s.TRAINING_NAMES[course.result],
                minimum=s.TRAINING_NAMES[p.training_min_result],
            )
        facts = {
            "course": f"“{course.course}”" if course.course else "",
            "start": s.day(course.start),
            "end": s.day(course.end),
            "months": months,
        }
        if problems:
            text = s.TRAINING_BAD.format(**facts, problem="; ".join(problems), year=ctx.year)
        else:
            text = s.TRAINING_OK.format(**facts, completion=completion)
        ctx.add("TRAINING_RESULT", not problems, text, f"{ctx.bases.special_cases} khoản 5")


def _transfer(ctx: _Context) -> None:
    r: PersonRecord = ctx.record
    t = r.transfer
    if t is None or t.date.year != ctx.year:
        return
    began = max(filter(None, (r.start_date, dt.date(ctx.year, 1, 1))))
    months = _months_between(began, t.date - dt.timedelta(days=1))
    minimum = ctx.p.transfer_old_unit_comment_min_months
    facts = {
        "from_unit": t.from_unit or "đơn vị cũ",
        "date": s.day(t.date),
        "months": months,
        "minimum": minimum,
    }
    if months < minimum:
        met, text = True, s.TRANSFER_NOT_NEEDED.format(**facts)
    elif t.old_unit_comments:
        met, text = True, s.TRANSFER_OK.format(**facts)
    else:
        met, text = False, s.TRANSFER_MISSING.format(**facts)
    ctx.add("TRANSFER_COMMENTS", met, text, f"{ctx.bases.special_cases} khoản 5")


def _discipline_bars_year(ctx: _Context, d: Discipline, year: int) -> tuple[bool, str | None]:
    """Whether discipline `d` keeps `year` from counting, and the sentence if it touches it."""
    p = ctx.p
    level = s.DISCIPLINE_NAMES[d.level]
    if not p.discipline_reset:
        decided = d.decided or d.effective_from
        if decided is not None and decided.year == year:
            period = f"năm {year}"
            return True, s.DISCIPLINE_BARS.format(
                level=level,
                decided=s.day(d.decided),
                start=s.day(d.effective_from),
                end=s.day(d.effective_to),
                period=period,
            )
        if decided is not None:
            return False, s.DISCIPLINE_OTHER_YEAR.format(level=level, decided=s.day(decided))
        return False, None
    start = d.effective_from or d.decided
    end = d.effective_to
    if start is None or start > dt.date(year, 12, 31):
        return False, None
    if end is not None and end < dt.date(year, 1, 1):
        return False, None
    if end is not None and end.year == year and p.disc_partial_year == "min_months":
        months = _months_from(end + dt.timedelta(days=1), year)
        ok = months >= p.min_months_employed
        return not ok, s.DISCIPLINE_PARTIAL.format(
            level=level,
            end=s.day(end),
            year=year,
            months=months,
            verdict="đủ" if ok else "chưa đủ",
            minimum=p.min_months_employed,
            counted="được tính" if ok else "không được tính",
        )
    return True, s.DISCIPLINE_BARS.format(
        level=level,
        decided=s.day(d.decided),
        start=s.day(start),
        end=s.day(end),
        period=f"năm {year}",
    )


def _discipline(ctx: _Context, window: list[int] | None = None) -> None:
    r: PersonRecord = ctx.record
    window = window or [ctx.year]
    period = f"năm {window[0]}" if len(window) == 1 else f"các năm {window[0]}–{window[-1]}"
    texts, barred = [], False
    for d in r.discipline:
        for year in window:
            bars, text = _discipline_bars_year(ctx, d, year)
            if text and text not in texts:
                texts.append(text)
            barred = barred or bars
    if not texts:
        texts = [s.DISCIPLINE_NONE.format(period=period)]
    ctx.add("DISCIPLINE", not barred, " ".join(texts), ctx.bases.principles)


def _open_processes(ctx: _Context, processes, rule: str, none: str, bars: str) -> None:
    open_now = [o for o in processes if o.open_on(ctx.as_of)]
    as_of = s.day(ctx.as_of)
    if not open_now:
        ctx.add(rule, True, none.format(as_of=as_of), ctx.bases.principles)
        return
    texts = []
    for o in open_now:
        template = bars if ctx.p.open_process_bars_award else s.OPEN_IGNORED
        texts.append(
            template.format(kind=s.PROCESS_NAMES[o.type], opened=s.day(o.opened), as_of=as_of)
        )
    ctx.add(rule, not ctx.p.open_process_bars_award, " ".join(texts), ctx.bases.principles)


def _leader_gate(ctx: _Context, title: str) -> None:
    r: PersonRecord = ctx.record
    required = ctx.p.leader_gate_required_unit_title
    if not r.is_leader or required is None or title not in ctx.p.leader_gate_applies_to:
        return
    held = r.unit_titles.get(ctx.year, ())
    accepted = {"TTLDTT": {"TTLDTT", "TTLDXS"}, "TTLDXS": {"TTLDXS"}}[required]
    met = bool(accepted & set(held))
    template = s.LEADER_OK if met else s.LEADER_MISSING
    text = template.format(
        year=ctx.year,
        required=s.title(required),
        held=", ".join(s.title(c) for c in held) if held else "không có",
    )
    ctx.add("LEADER_GATE", met, text, f"{ctx.bases.principles}; tiêu chí phong trào thi đua của Bộ")


def _year_rules(ctx: _Context, title: str, window: list[int] | None = None) -> None:
    """The rules every individual title checks on the year judged."""
    _tenure(ctx)
    _working_time(ctx)
    _training(ctx)
    _transfer(ctx)
    _discipline(ctx, window)
    _open_processes(ctx, ctx.record.open_processes, "OPEN_PROCESS", s.OPEN_NONE, s.OPEN_BARS)
    _leader_gate(ctx, title)


# Individual titles


def _grade(r: PersonRecord, year: int) -> str | None:
    return r.grades.get(year)


def ldtt(ctx: _Context) -> None:
    """Law Art 24 cl.1: graded HTTNV or better; self-reliant, cooperative, active."""
    r: PersonRecord = ctx.record
    grade = _grade(r, ctx.year)
    template = s.GRADE_OK if grade in GOOD else s.GRADE_LOW
    basis = ctx.bases.law("Điều 24 khoản 1")
    ctx.add(
        "LDTT_GRADE",
        grade in GOOD,
        template.format(year=ctx.year, grade=s.GRADE_NAMES[grade]),
        basis,
    )
    conduct = r.conduct_ok.get(ctx.year, True)
    ctx.add(
        "LDTT_CONDUCT",
        conduct,
        (s.CONDUCT_OK if conduct else s.CONDUCT_BAD).format(year=ctx.year),
        basis,
    )
    _year_rules(ctx, "LDTT")


def _usable(ctx: _Context, i: Initiative, code: str, year: int) -> bool:
    """Not yet used for another title or award (or reuse is allowed)."""
    if not ctx.p.initiative_reuse_ban:
        return True
    return all((u.code, u.year) == (code, year) for u in i.used_for)


def _uses(initiatives) -> str:
    return "; ".join(
        f"{i.id} cho {', '.join(f'{s.title(u.code)} năm {u.year}' for u in i.used_for)}"
        for i in initiatives
    )


def cstdcs(ctx: _Context) -> None:
    """Law Art 23: meets LĐTT and has an excellent grade, an initiative or a scientific work."""
    r: PersonRecord = ctx.record
    p = ctx.p
    year = ctx.year
    basis = ctx.bases.law("Điều 23")
    grade = _grade(r, year)
    conduct = r.conduct_ok.get(year, True)
    base = grade in GOOD and conduct
    if base:
        text = s.BASE_LDTT_OK.format(year=year, grade=s.GRADE_NAMES[grade])
    else:
        text = s.BASE_LDTT_BAD.format(
            year=year, grade=s.GRADE_NAMES[grade], conduct="" if conduct else s.CONDUCT_MISSING
        )
    ctx.add("CSTDCS_BASE_LDTT", base, text, basis)
    if p.cstdcs_initiative_in_eval_year:
        candidates = [i for i in r.initiatives if i.recognized and i.recognized.year == year]
        when = f"trong năm {year}"
    else:
        candidates = [i for i in r.initiatives if i.recognized and i.recognized.year <= year]
        when = f"đến năm {year}"
    if grade == "HTXSNV":
        ctx.add("CSTDCS_ACHIEVEMENT", True, s.ACHIEVEMENT_GRADE.format(year=year), basis)
    elif candidates:
        first = candidates[0]
        text = s.ACHIEVEMENT_INITIATIVE.format(
            year=year,
            kind=s.KIND_NAMES[first.type],
            ident=first.id,
            recognized=s.day(first.recognized),
        )
        ctx.add("CSTDCS_ACHIEVEMENT", True, text, basis)
        usable = [i for i in candidates if _usable(ctx, i, "CSTDCS", year)]
        if usable:
            text = s.REUSE_OK.format(
                kind=s.KIND_NAMES[usable[0].type].capitalize(), ident=usable[0].id
            )
        else:
            text = s.REUSE_USED.format(year=year, uses=_uses(candidates))
        ctx.add(
            "INITIATIVE_REUSE",
            bool(usable),
            text,
            f"{ctx.bases.principles}; hướng dẫn của Bộ Nội vụ",
        )
    else:
        ctx.add(
            "CSTDCS_ACHIEVEMENT",
            False,
            s.ACHIEVEMENT_NONE.format(year=year, grade=s.GRADE_NAMES[grade], when=when),
            basis,
        )
    if p.cstdcs_cap_enabled:
        u = r.unit_context
        cap_basis = "Quy chế thi đua, khen thưởng của Bộ (tỷ lệ theo Nghị định 91/2017/NĐ-CP)"
        if u.ldtt_recipients is None or u.cstdcs_rank is None:
            ctx.add("CSTDCS_CAP", False, s.CAP_UNKNOWN, cap_basis)
        else:
            quota = _quota(u.ldtt_recipients, p.cstdcs_cap_share, p.cstdcs_cap_rounding)
            met = 1 <= u.cstdcs_rank <= quota
            template = s.CAP_OK if met else s.CAP_OVER
            text = template.format(
                ldtt=u.ldtt_recipients,
                quota=quota,
                share=_share_text(p.cstdcs_cap_share),
                rounding=s.ROUNDING_NAMES[p.cstdcs_cap_rounding],
                rank=u.cstdcs_rank,
            )
            ctx.add("CSTDCS_CAP", met, text, cap_basis)
    _year_rules(ctx, "CSTDCS")


def _held_years(r: PersonRecord, code: str) -> set[int]:
    return {t.year for t in r.titles if t.title == code}


def _streak(years: set[int], end: int, floor: int | None = None) -> list[int]:
    """The consecutive years of `years` ending at `end` (none before or at `floor`)."""
    run = []
    year = end
    while year in years and (floor is None or year > floor):
        run.append(year)
        year -= 1
    return sorted(run)


def _previous(r: PersonRecord, code: str, year: int, regular_only: bool = True) -> int | None:
    """The last achievement year before `year` of a title or award `code` already received."""
    found = [t.year for t in r.titles if t.title == code and t.year < year]
    found += [
        a.achievement_year
        for a in r.awards
        if a.form == code
        and a.achievement_year < year
        and (a.kind == "regular" or not regular_only)
    ]
    return max(found) if found else None


def _streak_reason(ctx, rule, held_code, award_code, needed, basis, ends_in_year=True):
    """A run of `needed` consecutive years of `held_code`, not already used for `award_code`."""
    r: PersonRecord = ctx.record
    held = _held_years(r, held_code)
    used = _previous(r, award_code, ctx.year) if ctx.p.no_double_count else None
    if ends_in_year:
        run = _streak(held, ctx.year, used)
    else:
        runs = [_streak(held, end, used) for end in range(ctx.year, ctx.year - 50, -1)]
        run = max(runs, key=len)
    met = len(run) >= needed
    if met:
        run = run[-needed:]
        text = s.STREAK_OK.format(
            title=s.title(held_code),
            count=len(run),
            years=s.years(run),
            year=run[-1],
            needed=needed,
        )
    else:
        note = (
            s.STREAK_USED.format(last=used, award=s.title(award_code))
            if used and used >= ctx.year - needed
            else ""
        )
        text = s.STREAK_SHORT.format(
            title=s.title(held_code),
            year=ctx.year,
            count=len(run),
            years=s.years(run),
            needed=needed,
            used=note,
        )
    ctx.add(rule, met, text, basis)
    return run


def _scoped_initiative(ctx, rule, code, scopes, scope_label, basis) -> None:
    r: PersonRecord = ctx.record
    known = [
        i
        for i in r.initiatives
        if i.scope in scopes and i.recognized and i.recognized.year <= ctx.year
    ]
    usable = [i for i in known if _usable(ctx, i, code, ctx.year)]
    if usable:
        i = usable[0]
        text = s.INITIATIVE_SCOPE_OK.format(
            kind=s.KIND_NAMES[i.type], ident=i.id, recognized=s.day(i.recognized), scope=scope_label
        )
    else:
        used = s.INITIATIVE_USED_NOTE.format(uses=_uses(known)) if known else ""
        text = s.INITIATIVE_SCOPE_NONE.format(scope=scope_label, year=ctx.year, used=used)
    ctx.add(rule, bool(usable), text, basis)


def cstd_bo(ctx: _Context) -> None:
    """Law Art 22: three consecutive CSTĐCS, and an initiative of ministry-wide influence."""
    p = ctx.p
    basis = ctx.bases.law("Điều 22")
    run = _streak_reason(
        ctx,
        "CSTD_BO_STREAK",
        "CSTDCS",
        "CSTD_BO",
        p.cstd_bo_consecutive_cstdcs,
        basis,
        ends_in_year=p.cstd_bo_streak_ends_in_eval_year,
    )
    _scoped_initiative(
        ctx, "CSTD_BO_INITIATIVE", "CSTD_BO", ("bo", "toan_quoc"), s.SCOPE_NAMES["bo"], basis
    )
    _year_rules(ctx, "CSTD_BO", run or None)


def cstd_tq(ctx: _Context) -> None:
    """Law Art 21: two consecutive CSTĐ Bộ, and an initiative of nationwide influence."""
    r: PersonRecord = ctx.record
    p = ctx.p
    basis = ctx.bases.law("Điều 21")
    needed = p.cstd_tq_consecutive_cstd_bo
    bo_years = sorted(y for y in _held_years(r, "CSTD_BO") if y <= ctx.year)
    used = _previous(r, "CSTD_TQ", ctx.year + 1) if p.no_double_count else None
    if used is not None:
        bo_years = [y for y in bo_years if y > used]
    chain = bo_years[-needed:] if len(bo_years) >= needed else bo_years
    why = ""
    met = len(chain) >= needed and needed > 0
    if met and p.cstd_tq_timing == "eval_year_is_second_bo_year" and chain[-1] != ctx.year:
        met, why = False, s.CHAIN_TIMING.format(needed=needed, year=ctx.year)
    if met:
        cstdcs = _held_years(r, "CSTDCS")
        window = p.cstd_bo_consecutive_cstdcs
        for earlier, later in zip(chain, chain[1:], strict=False):
            gaps = [y for y in range(earlier + 1, later + 1) if y not in cstdcs]
            if p.cstd_tq_consecutive_definition == "strict_windows" and later - earlier != window:
                gaps = gaps or [earlier + 1]
            if gaps:
                met, why = False, s.CHAIN_BROKEN.format(gap=gaps[0])
                break
    template = s.CHAIN_OK if met else s.CHAIN_SHORT
    ctx.add(
        "CSTD_TQ_CHAIN", met, template.format(years=s.years(chain), needed=needed, why=why), basis
    )
    _scoped_initiative(
        ctx, "CSTD_TQ_INITIATIVE", "CSTD_TQ", ("toan_quoc",), s.SCOPE_NAMES["toan_quoc"], basis
    )
    _year_rules(ctx, "CSTD_TQ")


def _count_initiatives(ctx: _Context, code: str, window: list[int]) -> int:
    r: PersonRecord = ctx.record
    found = [
        i
        for i in r.initiatives
        if i.recognized and i.recognized.year in window and _usable(ctx, i, code, ctx.year)
    ]
    if ctx.p.bk_bo_mix_initiative_and_sci_work:
        return len(found)
    return max(sum(i.type == kind for i in found) for kind in ("initiative", "sci_work"))


def bk_bo(ctx: _Context) -> None:
    """Law Art 74 cl.1(d): two consecutive CSTĐCS, or two consecutive HTXSNV years with two
    initiatives or scientific works (not used before)."""
    r: PersonRecord = ctx.record
    p = ctx.p
    basis = ctx.bases.law("Điều 74 khoản 1 điểm d")
    used = _previous(r, "BK_BO", ctx.year) if p.no_double_count else None
    needed_inits = p.bk_bo_initiatives_required
    run1 = (
        _streak(_held_years(r, "CSTDCS"), ctx.year, used)[-p.bk_bo_consecutive_cstdcs :]
        if p.bk_bo_consecutive_cstdcs
        else []
    )
    inits1 = _count_initiatives(ctx, "BK_BO", run1)
    ok1 = len(run1) >= p.bk_bo_consecutive_cstdcs and (
        not p.bk_bo_initiatives_on_cstdcs_route or inits1 >= needed_inits
    )
    htxs = {y for y, g in r.grades.items() if g == "HTXSNV"}
    run2 = (
        _streak(htxs, ctx.year, used)[-p.bk_bo_min_htxsnv_years :]
        if p.bk_bo_min_htxsnv_years
        else []
    )
    inits2 = _count_initiatives(ctx, "BK_BO", run2)
    ok2 = len(run2) >= p.bk_bo_min_htxsnv_years and inits2 >= needed_inits
    inits_text1 = (
        ", " + s.BK_INITS.format(count=inits1, needed=needed_inits)
        if p.bk_bo_initiatives_on_cstdcs_route
        else ""
    )
    text = " ".join(
        (
            s.BK_ROUTE_CSTDCS.format(
                count=len(run1),
                needed=p.bk_bo_consecutive_cstdcs,
                years=s.years(run1),
                initiatives=inits_text1,
            ),
            s.BK_ROUTE_HTXSNV.format(
                count=len(run2),
                needed=p.bk_bo_min_htxsnv_years,
                years=s.years(run2),
                inits=s.BK_INITS.format(count=inits2, needed=needed_inits),
            ),
            s.BK_ROUTE_VERDICT[ok1 or ok2],
        )
    )
    ctx.add("BK_BO_ROUTE", ok1 or ok2, text, basis)
    window = (run1 if ok1 else run2) or None
    _year_rules(ctx, "BK_BO", window)


def _base_award(ctx: _Context, rule: str, form: str, basis: str) -> int | None:
    """The last regular award `form` before the year judged (thematic and extraordinary ones
    are no ground when the rule set says so)."""
    r: PersonRecord = ctx.record
    ignored = []
    found = []
    for a in r.awards:
        if a.form != form or a.achievement_year >= ctx.year:
            continue
        if a.kind != "regular" and ctx.p.thematic_or_extraordinary_not_basis:
            ignored.append(a)
        else:
            found.append(a)
    if found:
        a = max(found, key=lambda a: a.achievement_year)
        text = s.BASE_AWARD_OK.format(
            award=s.title(form), year=a.achievement_year, decision=a.decision or "—"
        )
        ctx.add(rule, True, text, basis)
        return a.achievement_year
    notes = "".join(
        s.BASE_AWARD_IGNORED.format(
            award=s.title(form), year=a.achievement_year, kind=s.AWARD_KINDS[a.kind]
        )
        for a in ignored
    )
    ctx.add(rule, False, s.BASE_AWARD_NONE.format(award=s.title(form), ignored=notes), basis)
    return None


def _run_rules(
    ctx: _Context,
    prefix: str,
    base: str,
    min_run: int,
    counts: list[tuple[str, str, int]],
    basis: str,
):
    r: PersonRecord = ctx.record
    since = _base_award(ctx, f"{prefix}_BASE", base, basis)
    if since is None:
        _year_rules(ctx, prefix)
        return
    good = {y for y, g in r.grades.items() if g in GOOD}
    floor = since
    if ctx.p.no_double_count:
        again = _previous(r, prefix, ctx.year)
        floor = max(floor, again) if again is not None else floor
    run = _streak(good, ctx.year, floor)
    met = len(run) >= min_run
    template = s.RUN_OK if met else s.RUN_SHORT
    ctx.add(
        f"{prefix}_RUN",
        met,
        template.format(
            start=run[0] if run else ctx.year,
            year=ctx.year,
            count=len(run),
            needed=min_run,
            award=s.title(base),
            years=s.years(run),
        ),
        basis,
    )
    for rule, what, needed in counts:
        if what == "CSTDCS":
            hits = [y for y in run if y in _held_years(r, "CSTDCS")]
            label = "Chiến sĩ thi đua cơ sở"
        else:
            hits = [y for y in run if r.grades.get(y) == "HTXSNV"]
            label = "Hoàn thành xuất sắc nhiệm vụ"
        ctx.add(
            rule,
            len(hits) >= needed,
            s.COUNT_IN_RUN.format(count=len(hits), what=label, years=s.years(hits), needed=needed),
            basis,
        )
    _year_rules(ctx, prefix, run or None)


def bk_ttg(ctx: _Context) -> None:
    """Law Art 73 cl.1(b): a Minister's Bằng khen, then five years ≥ HTTNV with three CSTĐCS."""
    p = ctx.p
    _run_rules(
        ctx,
        "BK_TTG",
        "BK_BO",
        p.bk_ttg_min_run_years,
        [("BK_TTG_CSTDCS", "CSTDCS", p.bk_ttg_cstdcs_in_run)],
        ctx.bases.law("Điều 73 khoản 1 điểm b"),
    )


def hcld3(ctx: _Context) -> None:
    """Law Art 44 cl.1(e): a PM's Bằng khen, then five years ≥ HTTNV with one HTXSNV and
    three CSTĐCS."""
    p = ctx.p
    _run_rules(
        ctx,
        "HCLD3",
        "BK_TTG",
        p.hcld3_min_run_years,
        [
            ("HCLD3_HTXSNV", "HTXSNV", p.hcld3_htxsnv_years_in_run),
            ("HCLD3_CSTDCS", "CSTDCS", p.hcld3_cstdcs_in_run),
        ],
        ctx.bases.law("Điều 44 khoản 1 điểm e"),
    )


# Collective titles


def _task(ctx: _Context, rule: str, minimum: str, basis: str) -> None:
    u = ctx.record.unit
    task = u.task_completion
    order = list(reversed(TASK_COMPLETIONS))  # incomplete … excellent
    met = task is not None and order.index(task) >= order.index(minimum)
    template = s.TASK_OK if met else s.TASK_LOW
    ctx.add(
        rule,
        met,
        template.format(year=ctx.year, task=s.TASK_NAMES[task], minimum=s.TASK_NAMES[minimum]),
        basis,
    )


def _finding(ctx: _Context, rule: str, name: str, basis: str) -> None:
    value = getattr(ctx.record.unit, name)
    template = s.FINDING_TRUE if value else s.FINDING_FALSE
    ctx.add(rule, value, template.format(year=ctx.year, finding=s.FINDINGS[name]), basis)


def _denominator(ctx: _Context) -> list:
    members = ctx.record.members
    if ctx.p.collective_share_denominator == "graded_members":
        return [m for m in members if m.grade is not None]
    return list(members)


def _share(ctx, rule, what, test, minimum: Decimal, comparator: str, basis) -> None:
    members = _denominator(ctx)
    count = sum(1 for m in members if test(m))
    total = len(members)
    share = Decimal(count) / Decimal(total) if total else Decimal(0)
    met = total > 0 and (share > minimum if comparator == "gt" else share >= minimum)
    text = s.SHARE.format(
        count=count,
        total=total,
        denominator=s.DENOMINATORS[ctx.p.collective_share_denominator],
        what=what,
        share=s.percent(share),
        comparator=s.COMPARATORS[comparator],
        minimum=s.percent(minimum),
    ).replace("  ", " ")
    ctx.add(rule, met, text, basis)


def _has_ldtt(m) -> bool:
    return "LDTT" in m.titles or "CSTDCS" in m.titles


def _member_discipline(ctx: _Context, bar: str, basis: str) -> None:
    year = ctx.year
    barred = []
    for m in ctx.record.members:
        for d in m.discipline:
            if not _at_least(d.level, bar):
                continue
            if ctx.p.collective_discipline_year_basis == "decided_in_year":
                decided = d.decided or d.effective_from
                counts = decided is not None and decided.year == year
            else:
                start = d.effective_from or d.decided
                counts = start is not None and _overlap(
                    start, d.effective_to or dt.date(9999, 12, 31), year
                )
            if counts:
                barred.append(f"{m.id} ({s.DISCIPLINE_NAMES[d.level]}, ngày {s.day(d.decided)})")
    if barred:
        text = s.MEMBER_DISC_BARS.format(
            year=year, bar=s.DISCIPLINE_NAMES[bar], who="; ".join(barred)
        )
    else:
        text = s.MEMBER_DISC_NONE.format(year=year, bar=s.DISCIPLINE_NAMES[bar])
    ctx.add("COLLECTIVE_DISCIPLINE", not barred, text, basis)


def _collective_common(ctx: _Context, bar: str | None, basis: str) -> None:
    u = ctx.record.unit
    if bar is not None:
        _member_discipline(ctx, bar, basis)
    _open_processes(
        ctx, u.open_processes, "COLLECTIVE_OPEN_PROCESS", s.UNIT_OPEN_NONE, s.UNIT_OPEN_BARS
    )
    as_of = s.day(ctx.as_of)
    if u.dissolved_on is None or u.dissolved_on > ctx.as_of:
        ctx.add("DISSOLVED", True, s.DISSOLVED_NO.format(as_of=as_of), ctx.bases.principles)
    elif ctx.p.collective_dissolved_not_commended:
        ctx.add(
            "DISSOLVED",
            False,
            s.DISSOLVED_YES.format(dissolved=s.day(u.dissolved_on), as_of=as_of),
            ctx.bases.principles,
        )
    else:
        ctx.add(
            "DISSOLVED",
            True,
            s.DISSOLVED_IGNORED.format(dissolved=s.day(u.dissolved_on)),
            ctx.bases.principles,
        )


def ttldtt(ctx: _Context) -> None:
    """Law Art 28: tasks completed well, active emulation, unity; the sector's share of LĐTT
    and discipline bar."""
    p = ctx.p
    basis = ctx.bases.law("Điều 28")
    _task(ctx, "TTLDTT_TASK_COMPLETION", p.ttldtt_min_task_completion, basis)
    _finding(ctx, "TTLDTT_EMULATION", "emulation_active", basis)
    _finding(ctx, "TTLDTT_UNITY", "unity_compliance", basis)
    _share(
        ctx,
        "TTLDTT_SHARE_LDTT",
        "đạt Lao động tiên tiến",
        _has_ldtt,
        p.ttldtt_min_share_ldtt,
        p.ttldtt_share_comparator,
        basis,
    )
    _collective_common(ctx, p.ttldtt_discipline_bar, basis)


def ttldxs(ctx: _Context) -> None:
    """Law Art 27: tasks completed excellently; every member completes, 70% LĐTT, one CSTĐCS."""
    p = ctx.p
    basis = ctx.bases.law("Điều 27")
    _task(ctx, "TTLDXS_TASK_COMPLETION", "excellent", basis)
    _finding(ctx, "TTLDXS_EMULATION", "emulation_active", basis)
    _share(
        ctx,
        "TTLDXS_MEMBERS_COMPLETE",
        "hoàn thành nhiệm vụ trở lên",
        lambda m: m.grade in COMPLETED,
        p.ttldxs_members_complete_share,
        "ge",
        basis,
    )
    _share(
        ctx,
        "TTLDXS_SHARE_LDTT",
        "đạt Lao động tiên tiến",
        _has_ldtt,
        p.ttldxs_min_share_ldtt,
        "ge",
        basis,
    )
    holders = [m.id for m in ctx.record.members if "CSTDCS" in m.titles]
    ctx.add(
        "TTLDXS_CSTDCS",
        len(holders) >= p.ttldxs_min_cstdcs,
        s.COUNT_MEMBERS.format(
            count=len(holders),
            what="Chiến sĩ thi đua cơ sở",
            ids=", ".join(holders) or "không có",
            needed=p.ttldxs_min_cstdcs,
        ),
        basis,
    )
    _finding(ctx, "TTLDXS_UNITY", "unity_compliance", basis)
    _collective_common(ctx, p.ttldxs_discipline_bar, basis)


def _block_leader(ctx: _Context, rule: str, basis: str) -> None:
    g = ctx.record.grouping
    if g is None:
        ctx.add(rule, False, s.NO_GROUPING.format(year=ctx.year), basis)
        return
    template = s.LEADER_OF_BLOCK_OK if g.acclaimed_leader else s.LEADER_OF_BLOCK_NO
    text = template.format(
        grouping=s.GROUPING_NAMES[g.type],
        name=g.name or "—",
        year=ctx.year,
        rank=g.rank if g.rank is not None else "—",
        count=g.members_count if g.members_count is not None else "—",
    )
    ctx.add(rule, g.acclaimed_leader, text, basis)


def co_bo(ctx: _Context) -> None:
    """Law Art 26: leads its block or cluster, excels and exceeds targets, new models,
    unity, thrift and anti-corruption."""
    basis = ctx.bases.law("Điều 26")
    _block_leader(ctx, "CO_BO_BLOCK_LEADER", basis)
    _task(ctx, "CO_BO_TASK_COMPLETION", "excellent", basis)
    _finding(ctx, "CO_BO_EXCEEDED_TARGETS", "exceeded_targets", basis)
    _finding(ctx, "CO_BO_NEW_MODEL", "new_model", basis)
    _finding(ctx, "CO_BO_UNITY", "unity_compliance", basis)
    _finding(ctx, "CO_BO_THRIFT", "thrift_anticorruption", basis)
    _collective_common(ctx, ctx.p.ttldxs_discipline_bar, basis)


def co_cp(ctx: _Context) -> None:
    """Law Art 25 cl.1: the most outstanding of the collectives leading the ministry's blocks
    and clusters, within the quota of proposals."""
    p = ctx.p
    basis = ctx.bases.law("Điều 25 khoản 1")
    _block_leader(ctx, "CO_CP_BLOCK_LEADER", basis)
    _task(ctx, "CO_CP_TASK_COMPLETION", "excellent", basis)
    _finding(ctx, "CO_CP_EXCEEDED_TARGETS", "exceeded_targets", basis)
    _finding(ctx, "CO_CP_UNITY", "unity_compliance", basis)
    _finding(ctx, "CO_CP_PARTY_CLEAN", "party_mass_orgs_clean", basis)
    _finding(ctx, "CO_CP_THRIFT", "thrift_anticorruption", basis)
    f = ctx.record.ministry_flag_context
    quota_basis = "Công văn 5007/BNV-TĐKT năm 2023 của Bộ Nội vụ"
    if f is None or f.block_cluster_leaders is None or f.cp_rank is None:
        ctx.add("CO_CP_QUOTA", False, s.QUOTA_UNKNOWN, quota_basis)
    else:
        quota = _quota(f.block_cluster_leaders, p.co_cp_quota_share, p.co_cp_quota_rounding)
        met = 1 <= f.cp_rank <= quota
        template = s.QUOTA_OK if met else s.QUOTA_OVER
        ctx.add(
            "CO_CP_QUOTA",
            met,
            template.format(
                leaders=f.block_cluster_leaders,
                quota=quota,
                share=_share_text(p.co_cp_quota_share),
                rounding=s.ROUNDING_NAMES[p.co_cp_quota_rounding],
                rank=f.cp_rank,
            ),
            quota_basis,
        )
    _collective_common(ctx, p.ttldxs_discipline_bar, basis)


JUDGES: dict[str, Callable[[_Context], None]] = {
    "LDTT": ldtt,
    "CSTDCS": cstdcs,
    "CSTD_BO": cstd_bo,
    "CSTD_TQ": cstd_tq,
    "BK_BO": bk_bo,
    "BK_TTG": bk_ttg,
    "HCLD3": hcld3,
    "TTLDTT": ttldtt,
    "TTLDXS": ttldxs,
    "CO_BO": co_bo,
    "CO_CP": co_cp,
}
