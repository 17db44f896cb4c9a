"""Build, deterministically, a ministry at a multiple of real size for benchmarks.

--scale 1 is about real size (100 units, 4 blocks and clusters, 10,000 people);
--scale 10 is ten times that (1,000 units, 40 blocks and clusters, 100,000 people).
Each of --years campaigns has six contents, thirty collective criteria and both
periods answered: submissions in every state with their answers, and year-end
assessments of every person. Rows are written with bulk_create; the same --seed
gives the same data. Everything it creates has codes starting with "scale-"."""

import datetime as dt
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from campaigns.enums import (
    AcclamationState,
    CampaignStatus,
    CriterionKind,
    PerformanceGrade,
    PeriodKind,
    ProposalKind,
    Subject,
    SubmissionState,
    TransitionAction,
)
from campaigns.models import (
    Acclamation,
    Answer,
    Ballot,
    Campaign,
    Candidate,
    Content,
    Criterion,
    IndividualAssessment,
    Period,
    Proposal,
    Submission,
    Title,
    UnitTitle,
    Voter,
)
from campaigns.movement import lifecycle
from campaigns.sheets import scoring, workflow
from units.enums import GroupKind, PersonCategory, UnitKind
from units.models import EmulationGroup, GroupMembership, Person, Unit

PREFIX = "scale-"
BATCH = 5000
CONTENTS = [
    "Chuyển đổi số, cải cách hành chính",
    "Thực hiện nhiệm vụ chuyên môn",
    "Xây dựng tổ chức, đoàn kết nội bộ",
    "Thực hành tiết kiệm, phòng chống tham nhũng",
    "Đổi mới sáng tạo, sáng kiến",
    "Công tác thi đua, khen thưởng",
]
CRITERIA_PER_CONTENT = 5
STATES = [  # (state, weight)
    (SubmissionState.ACCEPTED, 85),
    (SubmissionState.SUBMITTED, 7),
    (SubmissionState.RETURNED, 3),
    (SubmissionState.DRAFT, 2),
    (None, 3),
]
DECISIONS = {
    SubmissionState.RETURNED: TransitionAction.RETURNED,
    SubmissionState.ACCEPTED: TransitionAction.ACCEPTED,
}
GRADES = [
    (PerformanceGrade.EXCELLENT, 15),
    (PerformanceGrade.GOOD, 70),
    (PerformanceGrade.COMPLETED, 13),
    (PerformanceGrade.NOT_COMPLETED, 2),
]


class Command(BaseCommand):
    help = "Build a deterministic ministry at a multiple of real size (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=10, help="1 = real size, 10 = ten times")
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--last-year", type=int, default=2024)
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, scale, years, last_year, seed, **options):
        if scale < 1 or years < 1:
            raise CommandError("--scale and --years must be at least 1.")
        if Unit.objects.filter(code__startswith=PREFIX).exists():
            raise CommandError("Scale data is already loaded; use a fresh database.")
        started = time.monotonic()
        seeder = Seeder(random.Random(seed), scale, self.stdout)
        with transaction.atomic():
            seeder.organisation()
            for year in range(last_year - years + 1, last_year + 1):
                seeder.campaign(year, latest=year == last_year)
        self.stdout.write(
            f"Seeded {seeder.counts} in {time.monotonic() - started:.1f} s (scale {scale})."
        )


class Seeder:
    def __init__(self, rng: random.Random, scale: int, stdout):
        self.rng, self.scale, self.stdout = rng, scale, stdout
        # The blocks' scores and votes draw from their own generator, so that adding
        # them left every other figure of the seed (and of the report benchmark) as it was.
        self.block_rng = random.Random(f"blocks-{scale}")
        self.counts: dict[str, int] = {}
        self.titles = {
            t.code: t
            for t in Title.objects.filter(code__in=["LDTT", "CSTDCS", "CO_BO", "BK_BO_TT"])
        }

    def _add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def organisation(self) -> None:
        self.ministry = Unit.objects.create(
            code=f"{PREFIX}bo", name="Bộ Quy mô Thử nghiệm", kind=UnitKind.MINISTRY
        )
        n_units = 100 * self.scale
        provincial = n_units * 2 // 5
        units = [
            Unit(
                parent=self.ministry,
                code=f"{PREFIX}u{i:05d}",
                name=(
                    f"Sở Tài nguyên và Môi trường tỉnh số {i:04d}"
                    if i >= n_units - provincial
                    else f"Cục Nghiệp vụ Đặc thù số {i:04d}"
                ),
                kind=(
                    UnitKind.PROVINCIAL_DEPARTMENT
                    if i >= n_units - provincial
                    else UnitKind.ADMINISTRATION
                ),
                order=i,
            )
            for i in range(n_units)
        ]
        self.units = Unit.objects.bulk_create(units, batch_size=BATCH)
        self._add("units", len(self.units))
        self.people: list[tuple[int, int]] = []  # (person id, unit index)
        categories = list(PersonCategory.values)
        for start in range(0, n_units, 50):
            chunk = [
                Person(
                    unit=unit,
                    full_name=f"Nguyễn Thị Quy Mô {index:04d}-{k:03d}",
                    category=categories[(index + k) % len(categories)],
                    is_leader=k == 0,
                )
                for index, unit in enumerate(self.units[start : start + 50], start=start)
                for k in range(100)
            ]
            created = Person.objects.bulk_create(chunk, batch_size=BATCH)
            self.people += [(p.pk, i // 100 + start) for i, p in enumerate(created)]
        self._add("people", len(self.people))

    def _groups(self, year: int) -> None:
        """Blocks for the units under the ministry, clusters for the provinces: 4 of
        each kind per hundred units, every unit in exactly one."""
        n_units = len(self.units)
        provincial = n_units * 2 // 5
        per_kind = 2 * self.scale
        groups = []
        for kind, members in (
            (GroupKind.BLOCK, self.units[: n_units - provincial]),
            (GroupKind.CLUSTER, self.units[n_units - provincial :]),
        ):
            size = -(-len(members) // per_kind)
            for g in range(per_kind):
                chunk = members[g * size : (g + 1) * size]
                if chunk:
                    groups.append((kind, g, chunk))
        created = EmulationGroup.objects.bulk_create(
            EmulationGroup(
                kind=kind,
                year=year,
                code=f"{PREFIX}{kind[0].upper()}{g + 1:02d}",
                name=f"{'Khối' if kind == GroupKind.BLOCK else 'Cụm'} thi đua số {g + 1}",
                head_unit=chunk[0],
                deputy_unit=chunk[1] if len(chunk) > 1 else None,
                order=g,
            )
            for kind, g, chunk in groups
        )
        GroupMembership.objects.bulk_create(
            (
                GroupMembership(group=group, unit=unit, year=year, kind=group.kind)
                for group, (_k, _g, chunk) in zip(created, groups, strict=True)
                for unit in chunk
            ),
            batch_size=BATCH,
        )
        self.groups = list(zip(created, (chunk for _k, _g, chunk in groups), strict=True))
        self._add("groups", len(created))

    def campaign(self, year: int, *, latest: bool) -> None:
        self._groups(year)
        campaign = Campaign.objects.create(
            name=f"Phong trào thi đua năm {year} (quy mô)",
            theme="Kỷ cương trách nhiệm, chủ động kịp thời, tăng tốc sáng tạo",
            year=year,
            organizer=self.ministry,
            document_number=f"{100 + year % 100}/QĐ-BQM",
            document_date=dt.date(year, 2, 1),
            launched_by="Bộ trưởng",
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
        )
        lifecycle.bring_to(
            campaign,
            CampaignStatus.LAUNCHED if latest else CampaignStatus.CLOSED,
            now=timezone.make_aware(dt.datetime.combine(campaign.document_date, dt.time(9))),
        )
        Campaign.participants.through.objects.bulk_create(
            (Campaign.participants.through(campaign=campaign, unit=u) for u in self.units),
            batch_size=BATCH,
        )
        contents = Content.objects.bulk_create(
            Content(campaign=campaign, number=n, title=title)
            for n, title in enumerate(CONTENTS, start=1)
        )
        criteria = Criterion.objects.bulk_create(
            Criterion(
                campaign=campaign,
                subject=Subject.COLLECTIVE,
                content=content,
                code=f"{content.number}.{k + 1}",
                text=f"Tiêu chí {content.number}.{k + 1}",
                kind=CriterionKind.PENALTY
                if k == CRITERIA_PER_CONTENT - 1
                else CriterionKind.SCORED,
                max_points=Decimal(2) if k == CRITERIA_PER_CONTENT - 1 else Decimal(4),
                order=content.number * 10 + k,
            )
            for content in contents
            for k in range(CRITERIA_PER_CONTENT)
        )
        self._add("campaigns", 1)
        for kind, opens, due, closes in (
            (PeriodKind.SIX_MONTHLY, (6, 1), (6, 30), (7, 15)),
            (PeriodKind.YEAR_END, (11, 1), (11, 30), (12, 15)),
        ):
            period = Period.objects.create(
                campaign=campaign,
                kind=kind,
                opens_on=dt.date(year, *opens),
                due_on=dt.date(year, *due),
                closes_on=dt.date(year, *closes),
            )
            self._submissions(period, criteria)
            if kind == PeriodKind.YEAR_END:
                self._individuals(period)
        self.stdout.write(f"  {year}: {self.counts}")

    def _submissions(self, period: Period, criteria: list[Criterion]) -> None:
        rng = self.rng
        states, weights = zip(*STATES, strict=True)
        due = timezone.make_aware(dt.datetime.combine(period.due_on, dt.time(17)))
        rows, scores_of = [], []
        for unit in self.units:
            state = rng.choices(states, weights)[0]
            if state is None:
                continue
            own = {c.pk: Decimal(rng.randint(0, int(c.max_points))) for c in criteria}
            for c in criteria:
                if c.kind == CriterionKind.PENALTY:
                    own[c.pk] = Decimal(rng.choice([0, 0, 0, 1, 2]))
            reviewed = {
                pk: (max(score - rng.choice([0, 0, 1]), Decimal(0)) if rng.random() < 0.3 else None)
                for pk, score in own.items()
            }
            accepted = state == SubmissionState.ACCEPTED
            is_late = state != SubmissionState.DRAFT and rng.random() < 0.1
            submission = Submission(
                period=period,
                unit=unit,
                is_late=is_late,
                self_total=scoring.total(criteria, own),
                reviewer_total=(
                    scoring.total(
                        criteria,
                        {pk: scoring.reviewed_score(own[pk], r) for pk, r in reviewed.items()},
                    )
                    if accepted
                    else None
                ),
            )
            steps = []
            if state != SubmissionState.DRAFT:
                sent = due + dt.timedelta(hours=rng.randint(-400, -1) if not is_late else 30)
                steps.append(workflow.PastStep(TransitionAction.SUBMITTED, at=sent))
                decision = DECISIONS.get(state)
                if decision:  # returned or accepted three days later
                    steps.append(workflow.PastStep(decision, at=sent + dt.timedelta(days=3)))
            rows.append((submission, steps))
            block = {}
            if period.kind == PeriodKind.YEAR_END and state in SubmissionState.done_states:
                block = self._block_scores(criteria, own)
                if block:
                    submission.block_total = scoring.total(criteria, block)
                    submission.block_scored_count = len(block)
            scores_of.append((own, reviewed if accepted else {}, block))
        # The one bulk path of past records: states and steps along the workflow's table.
        submissions = workflow.record_past(rows, batch_size=BATCH)
        answers = (
            Answer(
                submission=submission,
                criterion_id=pk,
                self_score=score,
                reviewer_score=reviewed.get(pk),
                block_score=block.get(pk),
            )
            for submission, (own, reviewed, block) in zip(submissions, scores_of, strict=True)
            for pk, score in own.items()
        )
        self._bulk(Answer, answers)
        self._add("submissions", len(submissions))
        if period.kind == PeriodKind.YEAR_END:
            self._acclamations(period, submissions)

    def _block_scores(self, criteria: list[Criterion], own: dict) -> dict:
        """The block's verified scores of a sent year-end sheet: most sheets scored in
        full, a point off here and there; the rest not scored yet."""
        rng = self.block_rng
        if rng.random() >= 0.85:
            return {}
        return {
            c.pk: own[c.pk]
            if c.kind == CriterionKind.PENALTY
            else max(own[c.pk] - rng.choice([0, 0, 0, 1]), Decimal(0))
            for c in criteria
        }

    def _acclamations(self, period: Period, submissions: list[Submission]) -> None:
        """A closed acclamation per block and cluster: the top three sent sheets as
        candidates, a ballot per member unit, the proposals of the result."""
        rng = self.block_rng
        totals = {
            s.unit_id: s.block_total if s.block_total is not None else s.self_total
            for s in submissions
            if s.state in SubmissionState.done_states
        }
        closed_at = timezone.make_aware(dt.datetime.combine(period.closes_on, dt.time(15)))
        flag, merit = self.titles["CO_BO"], self.titles["BK_BO_TT"]
        acclamations = Acclamation.objects.bulk_create(
            Acclamation(
                group=group,
                period=period,
                state=AcclamationState.CLOSED,
                voter_count=len(chunk),
                opened_at=closed_at - dt.timedelta(hours=2),
                closed_at=closed_at,
                meeting_date=period.closes_on,
                meeting_place=chunk[0].name,
                chair_name="Thủ trưởng đơn vị trưởng khối",
                secretary_name="Thư ký hội nghị",
                attendees="Đại diện lãnh đạo các đơn vị thành viên",
            )
            for group, chunk in self.groups
        )
        candidates, ballots, voters, proposals = [], [], [], []
        for acclamation, (_group, chunk) in zip(acclamations, self.groups, strict=True):
            ranked = sorted(
                (u for u in chunk if u.pk in totals), key=lambda u: (-totals[u.pk], u.order)
            )[:3]
            votes = dict.fromkeys((u.pk for u in ranked), 0)
            for voter in chunk:
                chosen = [u.pk for u in ranked if rng.random() < (0.9 if u is ranked[0] else 0.6)]
                for pk in chosen:
                    votes[pk] += 1
                ballots.append((acclamation, chosen))
                voters.append(Voter(acclamation=acclamation, unit=voter))
            acclaimed = [u for u in ranked if votes[u.pk] * 2 > len(chunk)]
            for order, unit in enumerate(ranked):
                candidates.append(
                    Candidate(
                        acclamation=acclamation,
                        unit=unit,
                        rank=order + 1,
                        block_total=totals[unit.pk],
                        order=order,
                        votes=votes[unit.pk],
                        acclaimed=unit in acclaimed,
                    )
                )
            for order, unit in enumerate(acclaimed):
                proposals.append(
                    Proposal(
                        acclamation=acclamation,
                        unit=unit,
                        kind=ProposalKind.MINISTRY_FLAG
                        if order == 0
                        else ProposalKind.MINISTER_MERIT,
                        title=flag if order == 0 else merit,
                        votes=votes[unit.pk],
                        rank=ranked.index(unit) + 1,
                        order=order,
                    )
                )
        created = {
            (c.acclamation_id, c.unit_id): c for c in Candidate.objects.bulk_create(candidates)
        }
        self._bulk(
            Ballot,
            (
                Ballot(
                    acclamation=acclamation,
                    choices=[created[(acclamation.pk, pk)].pk for pk in chosen],
                )
                for acclamation, chosen in ballots
            ),
        )
        self._bulk(Voter, voters)
        Proposal.objects.bulk_create(proposals)
        # The Minister decided the flags as proposed: next year's bonus reads them.
        UnitTitle.objects.bulk_create(
            UnitTitle(unit=p.unit, year=period.campaign.year, title=p.title)
            for p in proposals
            if p.kind == ProposalKind.MINISTRY_FLAG
        )
        self._add("acclamations", len(acclamations))

    def _individuals(self, period: Period) -> None:
        rng = self.rng
        grades, weights = zip(*GRADES, strict=True)

        def assessments():
            for person_id, _unit in self.people:
                grade = rng.choices(grades, weights)[0]
                title = None
                if grade == PerformanceGrade.EXCELLENT and rng.random() < 0.5:
                    title = self.titles.get("CSTDCS")
                elif grade in (PerformanceGrade.EXCELLENT, PerformanceGrade.GOOD):
                    title = self.titles.get("LDTT")
                yield IndividualAssessment(
                    period=period, person_id=person_id, grade=grade, proposed_title=title
                )

        self._bulk(IndividualAssessment, assessments())

    def _bulk(self, model, rows) -> None:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                model.objects.bulk_create(batch)
                self._add(model._meta.model_name, len(batch))
                batch = []
        if batch:
            model.objects.bulk_create(batch)
            self._add(model._meta.model_name, len(batch))
