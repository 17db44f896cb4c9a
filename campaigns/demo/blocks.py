"""The blocks' and clusters' year-end in the demo.

2024: in every block and cluster the head unit scores its members' sent year-end
sheets (the deputy unit the head unit's own): a point off here and there with a
comment, the unit's own score confirmed for the rest; an adjustment or two
overridden with its reason; then the year-end conference: the vote opened with the
ranking's top units, every member unit's head casts a ballot, the head closes it and
types the minutes. All through campaigns.blocks' domain functions, as the block heads
would in the browser, so every page and document has content.

This year: the 2024 blocks and clusters carried over year by year (the deputy
becoming the head, units.rotation), and in the first block and cluster a few members'
year-end sheets sent, open for the block head to score.

Idempotent: a block whose 2024 vote exists is left alone; the rotation and this
year's sheets are made only where missing."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from campaigns.blocks import acclamation, adjustments
from campaigns.blocks import scoring as block_scoring
from campaigns.blocks.standings import block_standings
from campaigns.enums import (
    AdjustmentKind,
    CriterionKind,
    PeriodKind,
    Subject,
    SubmissionState,
    TransitionAction,
)
from campaigns.models import Acclamation, Answer, Campaign, Criterion, Submission, Title, UnitTitle
from campaigns.movement import criteria_tree
from campaigns.sheets import scoring, workflow
from units import rotation
from units.enums import Role
from units.models import EmulationGroup, Membership

SEED = "blocks-2024"
REMARKS = [
    "Minh chứng chưa thể hiện đầy đủ kết quả; khối thống nhất trừ 1 điểm.",
    "Báo cáo gửi khối chưa có số liệu định lượng; đề nghị bổ sung ở kỳ sau.",
    "Kết quả thực hiện chưa đạt chỉ tiêu đăng ký đầu năm.",
]
# Two 2023 flags the Minister awarded (the demo's history before the system): the
# 2024 ranking adds their bonus.
FLAGS_2023 = ("vu-phap-che", "stnmt-long-an")


def load_blocks(campaign: Campaign) -> dict[str, int]:
    """Run the 2024 year-end of every block and cluster of the movement; returns how
    many votes and block-scored sheets were made."""
    counts = {"acclamations": 0, "block_scored_sheets": 0}
    period = campaign.periods.filter(kind=PeriodKind.YEAR_END).first()
    if period is None:
        return counts
    _flags_2023(campaign)
    heads = _heads()
    groups = list(
        EmulationGroup.objects.filter(year=campaign.year).select_related("head_unit", "deputy_unit")
    )
    done = set(Acclamation.objects.filter(period=period).values_list("group_id", flat=True))
    for number, group in enumerate(groups):
        if group.pk in done or group.head_unit_id not in heads:
            continue
        rng = random.Random(f"{SEED}-{group.code}")
        counts["block_scored_sheets"] += _score(group, period, heads, rng)
        _conference(group, period, heads, rng, first=number == 0)
        counts["acclamations"] += 1
    return counts


def _heads() -> dict[int, object]:
    """The head (thủ trưởng) of each unit, by unit id."""
    return {
        m.unit_id: m.user for m in Membership.objects.filter(role=Role.HEAD).select_related("user")
    }


def _flags_2023(campaign: Campaign) -> None:
    flag = Title.objects.filter(code="CO_BO").first()
    if flag is None:
        return
    units = campaign.participants.filter(code__in=FLAGS_2023)
    for unit in units:
        UnitTitle.objects.get_or_create(
            unit=unit,
            year=campaign.year - 1,
            title=flag,
            defaults={
                "decision_number": "125/QĐ-BTNMT",
                "decision_date": dt.date(campaign.year, 1, 18),
                "issuer": "Bộ trưởng Bộ Tài nguyên và Môi trường",
            },
        )


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _score(group, period, heads, rng: random.Random) -> int:
    """The block's scores of its members' sent sheets; returns how many it scored."""
    sheets = list(
        Submission.objects.filter(
            period=period,
            unit__group_memberships__group=group,
            state__in=SubmissionState.done_states,
        )
        .select_related("period__campaign", "unit")
        .order_by("unit__order", "unit__code")
    )
    leaves = criteria_tree.leaves(
        criteria_tree.ordered(
            Criterion.objects.filter(campaign_id=period.campaign_id, subject=Subject.COLLECTIVE)
        )
    )
    scored_kinds = [c for c in leaves if c.kind == CriterionKind.SCORED]
    when = _moment(period.closes_on, 9)
    overridden = False
    for sheet in sheets:
        scorer_unit = (
            group.deputy_unit_id if sheet.unit_id == group.head_unit_id else (group.head_unit_id)
        )
        scorer = heads.get(scorer_unit)
        if scorer is None:
            continue
        if scored_kinds and rng.random() < 0.4:
            criterion = rng.choice(scored_kinds)
            answer = Answer.objects.filter(submission=sheet, criterion=criterion).first()
            if answer is not None and answer.self_score:
                block_scoring.save_block_score_for(
                    sheet,
                    criterion,
                    by=scorer,
                    now=when,
                    expected_version=answer.version,
                    block_score=str(answer.self_score - 1),
                    comment=rng.choice(REMARKS),
                )
        block_scoring.confirm_remaining(sheet, by=scorer, now=when)
        if sheet.is_late and not overridden:
            # The block head accepts a written excuse: half the late penalty.
            automatic = adjustments.automatic_points(sheet, AdjustmentKind.LATE)
            if automatic:
                adjustments.override_adjustment(
                    sheet,
                    AdjustmentKind.LATE,
                    points=str((automatic / 2).quantize(Decimal("0.01"))),
                    reason="Đơn vị đã có văn bản báo cáo lý do chậm trước hạn; hội nghị khối "
                    "thống nhất giảm một nửa điểm trừ.",
                    by=scorer,
                    now=when,
                )
                overridden = True
    return len(sheets)


def _conference(group, period, heads, rng: random.Random, *, first: bool) -> None:
    """The year-end conference: open the vote with the ranking's top units, a ballot
    from every member unit's head (for the leader, and for others at random), close,
    type the minutes."""
    head = heads[group.head_unit_id]
    day = period.closes_on + dt.timedelta(days=10 + group.order % 5)
    table = block_standings(group, period)
    if not any(s.ranked for s in table.standings):
        return
    vote = acclamation.open_vote(group, period, by=head, now=_moment(day, 9))
    candidates = list(vote.candidates.order_by("order"))
    places = vote.flag_places + vote.merit_places
    for standing in table.standings:
        voter = heads.get(standing.unit.pk)
        if voter is None:
            continue
        chosen = [
            c.pk for index, c in enumerate(candidates[:places]) if index == 0 or rng.random() < 0.7
        ]
        acclamation.cast_ballot(
            vote, by=voter, unit=standing.unit, candidate_ids=chosen, now=_moment(day, 10)
        )
    vote = acclamation.close_vote(vote, by=head, now=_moment(day, 11))
    acclamation.save_minutes(
        vote,
        by=head,
        expected_version=vote.version,
        data={
            "meeting_date": day,
            "meeting_place": f"Hội trường {group.head_unit.name}",
            "chair_name": head.display_name,
            "secretary_name": "Nguyễn Thị Thu Hà",
            "attendees": "Lãnh đạo và cán bộ phụ trách thi đua, khen thưởng của các đơn vị "
            "thành viên; đại diện Vụ Tổ chức cán bộ.",
            "notes": "Hội nghị thống nhất chuyển vai trò trưởng khối cho đơn vị phó khối năm sau."
            if not first
            else "Hội nghị thống nhất kế hoạch thi đua năm sau.",
            "minutes_number": f"{group.order:02d}/BB-{group.code}",
        },
    )


def rotate_to(year: int) -> int:
    """Carry the latest blocks and clusters over, one year at a time, up to `year`
    (before the movement is copied to that year, which then finds its groups there)."""
    made = 0
    latest = EmulationGroup.objects.order_by("-year").values_list("year", flat=True).first()
    while latest is not None and latest < year:
        groups = list(EmulationGroup.objects.filter(year=latest).select_related("deputy_unit"))
        taken = set(EmulationGroup.objects.filter(year=latest + 1).values_list("code", flat=True))
        plans = [
            rotation.NextYear(group=g, head_unit=rotation.default_head(g), deputy_unit=_next(g))
            for g in groups
            if g.code not in taken
        ]
        if plans:
            made += len(rotation.rotate(plans))
        latest += 1
    return made


def _next(group):
    """Next year's deputy in the demo: the member after the new head in the block's
    order (the head role then passes along the members year by year)."""
    members = [
        m.unit
        for m in group.memberships.select_related("unit").order_by("unit__order", "unit__code")
    ]
    head = rotation.default_head(group)
    if head is None or head not in members or len(members) < 2:
        return None
    following = members[(members.index(head) + 1) % len(members)]
    return following if following != head else None


def load_current_sheets(campaign: Campaign, *, today: dt.date) -> int:
    """This year's year-end: in the first block and the first cluster, three members
    have sent their sheet, for the block head to score. Made once."""
    period = campaign.periods.filter(kind=PeriodKind.YEAR_END).first()
    if period is None or not period.is_open(today) or period.submissions.exists():
        return 0
    criteria = list(
        criteria_tree.ordered(
            Criterion.objects.filter(campaign=campaign, subject=Subject.COLLECTIVE)
        )
    )
    leaves = criteria_tree.leaves(criteria)
    heads = _heads()
    rng = random.Random(f"{SEED}-{campaign.year}")
    sheets, scores = [], []
    for kind in ("block", "cluster"):
        group = (
            EmulationGroup.objects.filter(year=campaign.year, kind=kind)
            .order_by("order", "code")
            .first()
        )
        if group is None:
            continue
        members = [
            m.unit
            for m in group.memberships.select_related("unit").order_by("unit__order")
            if m.unit_id != group.head_unit_id
        ][:3]
        for unit in members:
            own = {
                c.pk: c.max_points
                if c.kind in (CriterionKind.SCORED, CriterionKind.YES_NO) and rng.random() < 0.8
                else (Decimal(0) if c.kind != CriterionKind.SCORED else c.max_points - 1)
                for c in leaves
            }
            sent = _moment(min(today, period.due_on), 8) - dt.timedelta(days=1)
            sheets.append(
                (
                    Submission(period=period, unit=unit, self_total=scoring.total(criteria, own)),
                    [workflow.PastStep(TransitionAction.SUBMITTED, at=sent, by=heads.get(unit.pk))],
                )
            )
            scores.append(own)
    made = workflow.record_past(sheets)
    Answer.objects.bulk_create(
        Answer(
            submission=submission,
            criterion_id=pk,
            self_score=score,
            narrative="Đơn vị đã hoàn thành nhiệm vụ theo kế hoạch năm.",
        )
        for submission, own in zip(made, scores, strict=True)
        for pk, score in own.items()
    )
    return len(made)
