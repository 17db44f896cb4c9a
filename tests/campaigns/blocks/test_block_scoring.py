"""Block scoring of a member's sent sheet: the domain (totals, count, history with
its reason, every refusal) and the pages (the permission matrix with another block's
member sheet created first, bad input kept, query counts, a GET writes nothing)."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.blocks.scoring import refresh_block_total, save_block_score_for
from campaigns.enums import (
    AcclamationState,
    AnswerField,
    CriterionKind,
    PeriodKind,
    SubmissionState,
)
from campaigns.models import Acclamation, Answer, AnswerChange, BlockRules, Submission
from campaigns.sheets import answers, workflow
from campaigns.sheets.answers import StaleAnswer
from campaigns.sheets.workflow import WorkflowError
from tests.campaigns.sheet import make_sheet
from tests.factories import (
    CampaignFactory,
    CriterionFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PeriodFactory,
    UnitFactory,
)
from units.enums import GroupKind, Role

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
NOW = timezone.now()


def sent(period, unit, scores, *, state=SubmissionState.SUBMITTED):
    """A sheet the unit has sent, with a self score per criterion."""
    submission = Submission.objects.create(
        period=period,
        unit=unit,
        state=state,
        submitted_at=NOW,
        self_total=sum(scores.values(), start=D(0)),
    )
    for criterion, score in scores.items():
        Answer.objects.create(
            submission=submission, criterion=criterion, self_score=score, narrative="Đã làm"
        )
    return submission


def answer(submission, criterion):
    return Answer.objects.get(submission=submission, criterion=criterion)


@pytest.fixture
def world(unit_a, unit_b, unit_c, block, block_head, head_a, head_b):
    """Block 1 (2024) headed by unit C, deputy unit D, members A, C, D; block 2 headed
    by unit E with member B. Every member has sent its year-end sheet."""
    unit_d = UnitFactory(code="unit-d", name="Vụ Tổ chức")
    unit_e = UnitFactory(code="unit-e", name="Cục Biển")
    block.deputy_unit = unit_d
    block.save()
    GroupMembershipFactory(group=block, unit=unit_d)
    other = EmulationGroupFactory(kind=GroupKind.BLOCK, year=2024, head_unit=unit_e)
    GroupMembershipFactory(group=other, unit=unit_b)
    GroupMembershipFactory(group=other, unit=unit_e)
    deputy = MembershipFactory(unit=unit_d, role=Role.DEPUTY, user__username="deputy").user
    other_head = MembershipFactory(unit=unit_e, role=Role.HEAD, user__username="other_head").user
    sheet = make_sheet([unit_a, unit_b, unit_c, unit_d, unit_e])
    # Another block's member sheet first: it must not leak.
    scores = {sheet.scored: D(50), sheet.yes_no: D(40), sheet.bonus: D(2)}
    sheet_b = sent(sheet.period, unit_b, scores)
    sheet_a = sent(sheet.period, unit_a, scores)
    sheet_c = sent(sheet.period, unit_c, scores)
    return {
        "sheet": sheet,
        "a": sheet_a,
        "b": sheet_b,
        "c": sheet_c,
        "block": block,
        "other": other,
        "deputy": deputy,
        "other_head": other_head,
        "unit_d": unit_d,
    }


def score(submission, criterion, by, value, comment="", reason="", version=None):
    if version is None:
        row = Answer.objects.filter(submission=submission, criterion=criterion).first()
        version = row.version if row else 1  # a criterion never saved: version 1
    return save_block_score_for(
        submission,
        criterion,
        by=by,
        now=NOW,
        expected_version=version,
        block_score=value,
        comment=comment,
        reason=reason,
    )


# The domain


def test_block_scores_make_the_block_total_and_count_and_keep_the_state(world, block_head):
    sheet, submission = world["sheet"], world["a"]
    before = Submission.objects.get(pk=submission.pk)

    score(submission, sheet.scored, block_head, "45,5", comment="Thiếu minh chứng quý IV")

    row = Submission.objects.get(pk=submission.pk)
    # 45.5 (block) + 40 (self, not scored) + 2 (self) = 87.5
    assert row.block_total == D("87.50")
    assert row.block_scored_count == 1
    assert row.state == SubmissionState.SUBMITTED
    assert row.review_started_at is None
    assert row.version == before.version
    assert row.self_total == before.self_total
    saved = answer(submission, sheet.scored)
    assert saved.block_score == D("45.50")
    assert saved.block_comment == "Thiếu minh chứng quý IV"
    assert saved.self_score == D(50)
    assert saved.reviewer_score is None

    score(submission, sheet.bonus, block_head, "0")
    row.refresh_from_db()
    assert (row.block_total, row.block_scored_count) == (D("85.50"), 2)

    # Clearing every block score empties the block total again.
    score(submission, sheet.scored, block_head, "", comment="Thiếu minh chứng quý IV")
    score(submission, sheet.bonus, block_head, "")
    row.refresh_from_db()
    assert (row.block_total, row.block_scored_count) == (None, 0)


def test_a_penalty_scored_by_the_block_counts_negatively(world, block_head):
    sheet, submission = world["sheet"], world["a"]
    penalty = CriterionFactory(
        campaign=sheet.period.campaign, kind=CriterionKind.PENALTY, max_points=D(5), order=9
    )
    score(submission, penalty, block_head, "3")
    submission.refresh_from_db()
    assert submission.block_total == D("89.00")  # 50 + 40 + 2 − 3


def test_every_change_is_in_the_history_with_who_old_new_and_reason(world, block_head, officer):
    sheet, submission = world["sheet"], world["a"]
    score(submission, sheet.scored, block_head, "45", comment="Chưa đạt", reason="Theo hồ sơ")
    score(submission, sheet.scored, officer, "48", comment="Chưa đạt", reason="Đã bổ sung")

    changes = AnswerChange.objects.filter(answer__submission=submission).order_by("id")
    rows = [(c.field, c.old_value, c.new_value, c.changed_by, c.reason) for c in changes]
    assert rows == [
        (AnswerField.BLOCK_SCORE, "", "45.00", block_head, "Theo hồ sơ"),
        (AnswerField.BLOCK_COMMENT, "", "Chưa đạt", block_head, "Theo hồ sơ"),
        (AnswerField.BLOCK_SCORE, "45.00", "48.00", officer, "Đã bổ sung"),
    ]
    assert all(c.changed_at for c in changes)
    # The officer's change of a block score is not a review: the unit may still
    # withdraw the sheet.
    row = Submission.objects.get(pk=submission.pk)
    assert row.review_started_at is None
    assert row.state == SubmissionState.SUBMITTED


@pytest.mark.usefixtures("english")
def test_the_department_must_give_a_reason(world, officer):
    sheet, submission = world["sheet"], world["a"]
    with pytest.raises(ValidationError, match="reason"):
        score(submission, sheet.scored, officer, "45", reason="   ")
    assert answer(submission, sheet.scored).block_score is None
    assert not AnswerChange.objects.exists()


def test_the_reason_message_is_vietnamese(world, officer):
    sheet, submission = world["sheet"], world["a"]
    with pytest.raises(ValidationError) as refused:
        score(submission, sheet.scored, officer, "45")
    assert "lý do" in " ".join(refused.value.messages)


def test_a_score_out_of_limits_is_refused(world, block_head):
    sheet, submission = world["sheet"], world["a"]
    with pytest.raises(ValidationError):
        score(submission, sheet.scored, block_head, "61")
    with pytest.raises(ValidationError):
        score(submission, sheet.yes_no, block_head, "20")
    assert Submission.objects.get(pk=submission.pk).block_total is None


@pytest.mark.parametrize("state", [SubmissionState.DRAFT, SubmissionState.RETURNED])
@pytest.mark.usefixtures("english")
def test_a_sheet_not_sent_is_refused(world, block_head, state):
    sheet, submission = world["sheet"], world["a"]
    Submission.objects.filter(pk=submission.pk).update(state=state)
    submission.state = state
    with pytest.raises(WorkflowError, match="has not sent"):
        score(submission, sheet.scored, block_head, "45")
    assert answer(submission, sheet.scored).block_score is None


def test_an_accepted_sheet_is_scored(world, block_head):
    sheet, submission = world["sheet"], world["a"]
    Submission.objects.filter(pk=submission.pk).update(state=SubmissionState.ACCEPTED)
    score(submission, sheet.scored, block_head, "45")
    row = Submission.objects.get(pk=submission.pk)
    assert row.block_total == D("87.00")
    assert row.state == SubmissionState.ACCEPTED


def test_another_blocks_member_and_the_own_unit_are_refused(world, block_head):
    sheet = world["sheet"]
    with pytest.raises(PermissionDenied):
        score(world["b"], sheet.scored, block_head, "45")  # block 2's member
    with pytest.raises(PermissionDenied):
        score(world["c"], sheet.scored, block_head, "45")  # its own sheet
    with pytest.raises(PermissionDenied):
        score(world["b"], sheet.scored, world["deputy"], "45")
    assert not Answer.objects.filter(block_score__isnull=False).exists()


def test_the_head_units_sheet_is_scored_by_the_deputy_unit(world, head_a):
    sheet = world["sheet"]
    score(world["c"], sheet.scored, world["deputy"], "44")
    assert answer(world["c"], sheet.scored).block_score == D(44)
    with pytest.raises(PermissionDenied):
        score(world["a"], sheet.scored, world["deputy"], "44")  # a member: the head's
    with pytest.raises(PermissionDenied):
        score(world["c"], sheet.scored, head_a, "44")  # a member does not score


@pytest.mark.usefixtures("english")
def test_a_closed_acclamation_stops_the_scoring(world, block_head):
    sheet, submission = world["sheet"], world["a"]
    vote = Acclamation.objects.create(
        group=world["block"], period=sheet.period, voter_count=3, opened_at=NOW
    )
    score(submission, sheet.scored, block_head, "45")  # open: still scored
    vote.state = AcclamationState.CLOSED
    vote.save()
    with pytest.raises(WorkflowError, match="vote is closed"):
        score(submission, sheet.scored, block_head, "40")
    assert answer(submission, sheet.scored).block_score == D(45)


def test_another_blocks_closed_vote_does_not_stop_this_one(world, block_head):
    sheet, submission = world["sheet"], world["a"]
    Acclamation.objects.create(
        group=world["other"],
        period=sheet.period,
        voter_count=2,
        opened_at=NOW,
        state=AcclamationState.CLOSED,
    )
    score(submission, sheet.scored, block_head, "45")
    assert answer(submission, sheet.scored).block_score == D(45)


@pytest.mark.usefixtures("english")
def test_the_six_monthly_period_only_when_the_movement_says_so(world, block_head, unit_a):
    sheet = world["sheet"]
    half = PeriodFactory(campaign=sheet.period.campaign, kind=PeriodKind.SIX_MONTHLY)
    submission = sent(half, unit_a, {sheet.scored: D(50)})
    with pytest.raises(WorkflowError, match="do not score this period"):
        score(submission, sheet.scored, block_head, "45")
    BlockRules.objects.create(campaign=sheet.period.campaign, score_six_monthly=True)
    submission = Submission.objects.select_related("period__campaign").get(pk=submission.pk)
    score(submission, sheet.scored, block_head, "45")
    assert answer(submission, sheet.scored).block_score == D(45)


def test_a_stale_version_is_refused_with_the_current_row(world, block_head, officer):
    sheet, submission = world["sheet"], world["a"]
    loaded = answer(submission, sheet.scored).version
    score(submission, sheet.scored, officer, "48", reason="Đã xác minh")
    with pytest.raises(StaleAnswer) as stale:
        score(submission, sheet.scored, block_head, "45", version=loaded)
    assert stale.value.current.block_score == D(48)
    assert answer(submission, sheet.scored).block_score == D(48)


def test_refresh_counts_only_leaf_criteria(world, block_head):
    sheet, submission = world["sheet"], world["a"]
    Answer.objects.filter(submission=submission, criterion=sheet.scored).update(block_score=D(30))
    assert refresh_block_total(submission) == D("72.00")
    assert Submission.objects.get(pk=submission.pk).block_scored_count == 1


def test_a_returned_sheet_changed_by_the_unit_keeps_its_block_total_true(
    world, block_head, officer, head_a
):
    sheet, submission = world["sheet"], world["a"]
    score(submission, sheet.scored, block_head, "45")
    workflow.return_for_revision(submission, by=officer, reason="Bổ sung", now=NOW)
    row = Answer.objects.select_related("criterion", "submission__period").get(
        submission=submission, criterion=sheet.bonus
    )
    answers.save_answer(row, by=head_a, now=NOW, expected_version=row.version, self_score="5")
    submission.refresh_from_db()
    assert submission.self_total == D("95.00")  # 50 + 40 + 5
    assert submission.block_total == D("90.00")  # 45 (block) + 40 + 5
    assert submission.block_scored_count == 1


# The pages

ROLES = [
    "anonymous",
    "block_head",
    "deputy",
    "head_a",
    "other_head",
    "officer",
    "council",
    "leader",
]
# GET of the block scoring page of unit A's sheet (a member of block 1), of unit C's
# (block 1's head unit) and of unit B's (block 2's member).
PAGE = {
    "a": {
        "anonymous": 302,
        "block_head": 200,
        "deputy": 404,
        "head_a": 403,
        "other_head": 404,
        "officer": 200,
        "council": 404,
        "leader": 200,
    },
    "c": {
        "anonymous": 302,
        "block_head": 200,  # its own sheet, read-only
        "deputy": 200,
        "head_a": 404,
        "other_head": 404,
        "officer": 200,
        "council": 404,
        "leader": 200,
    },
    "b": {
        "anonymous": 302,
        "block_head": 404,
        "deputy": 404,
        "head_a": 404,
        "other_head": 200,
        "officer": 200,
        "council": 404,
        "leader": 200,
    },
}
# Who may save a block score on each sheet (a 200 that saved); the others' status
# (an anonymous htmx request is told 401: its page has to log in again).
SAVE = {
    "a": {
        "anonymous": 401,
        "block_head": "saved",
        "deputy": 404,
        "head_a": 403,
        "other_head": 404,
        "officer": "saved",
        "council": 404,
        "leader": 403,
    },
    "c": {
        "anonymous": 401,
        "block_head": 403,
        "deputy": "saved",
        "head_a": 404,
        "other_head": 404,
        "officer": "saved",
        "council": 404,
        "leader": 403,
    },
    "b": {
        "anonymous": 401,
        "block_head": 404,
        "deputy": 404,
        "head_a": 404,
        "other_head": "saved",
        "officer": "saved",
        "council": 404,
        "leader": 403,
    },
}


def _user(world, cast, role):
    return world.get(role) if role in ("deputy", "other_head") else cast[role]


def _page_url(submission):
    return reverse("campaigns:block_scoring", args=[submission.pk])


def _save_url(submission, criterion):
    return reverse("campaigns:criterion_block_score", args=[submission.pk, criterion.pk])


@pytest.mark.parametrize("which", ["a", "c", "b"])
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_page(world, cast, client_for, role, which):
    client = client_for(_user(world, cast, role))
    response = client.get(_page_url(world[which]))
    assert response.status_code == PAGE[which][role]
    if response.status_code == 200:
        scorer = SAVE[which][role] == "saved"
        assert ('name="block_score"' in response.text) == scorer
        assert ('name="reason"' in response.text) == (role == "officer")
    total = client.get(reverse("campaigns:block_total", args=[world[which].pk]))
    assert total.status_code == PAGE[which][role]


@pytest.mark.parametrize("which", ["a", "c", "b"])
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_save(world, cast, client_for, role, which):
    sheet, submission = world["sheet"], world[which]
    client = client_for(_user(world, cast, role))
    row = answer(submission, sheet.scored)
    data = {"version": row.version, "block_score": "41", "block_comment": "Đạt", "reason": "Lý do"}
    response = client.post(_save_url(submission, sheet.scored), data, **HTMX)
    expected = SAVE[which][role]
    row.refresh_from_db()
    if expected == "saved":
        assert response.status_code == 200
        assert row.block_score == D(41)
        assert response["HX-Trigger"] == "block-saved"
    else:
        assert response.status_code == expected
        assert row.block_score is None
        assert not AnswerChange.objects.exists()


def test_a_saved_score_updates_the_total_fragment(world, client_for, block_head):
    sheet, submission = world["sheet"], world["a"]
    client = client_for(block_head)
    data = {"version": 1, "block_score": "45,5", "block_comment": ""}
    response = client.post(_save_url(submission, sheet.scored), data, **HTMX)
    assert "Đã lưu" in response.text
    total = client.get(reverse("campaigns:block_total", args=[submission.pk]), **HTMX)
    assert total.text.strip() == "87,5"
    page = client.get(_page_url(submission))
    assert 'id="block-total"' in page.text
    assert ">87,5<" in page.text


def test_bad_input_is_refused_in_vietnamese_next_to_the_field(world, client_for, block_head):
    sheet, submission = world["sheet"], world["a"]
    client = client_for(block_head)
    data = {"version": 1, "block_score": "99", "block_comment": "Ghi chú của khối"}
    response = client.post(_save_url(submission, sheet.scored), data, **HTMX)
    assert response.status_code == 200
    assert f'id="block-status-{sheet.scored.pk}"' in response.text
    assert "Chưa lưu" in response.text
    assert "60" in response.text
    assert answer(submission, sheet.scored).block_score is None
    # Without JavaScript: the page again, the message beside the field, the text kept.
    response = client.post(_save_url(submission, sheet.scored), data)
    assert response.status_code == 400
    assert 'value="99"' in response.text
    assert "Ghi chú của khối" in response.text
    assert "Chưa lưu" in response.text


def test_the_officer_without_reason_is_told_and_nothing_is_saved(world, client_for, officer):
    sheet, submission = world["sheet"], world["a"]
    client = client_for(officer)
    data = {"version": 1, "block_score": "41", "block_comment": "", "reason": ""}
    response = client.post(_save_url(submission, sheet.scored), data, **HTMX)
    assert "lý do" in response.text
    assert answer(submission, sheet.scored).block_score is None


def test_a_draft_sheet_shows_why_it_is_not_scored(world, client_for, block_head):
    submission = world["a"]
    Submission.objects.filter(pk=submission.pk).update(state=SubmissionState.DRAFT)
    response = client_for(block_head).get(_page_url(submission))
    assert response.status_code == 200
    assert 'data-testid="refusal"' in response.text
    assert 'name="block_score"' not in response.text


def test_a_get_writes_nothing(world, client_for, block_head):
    submission = world["a"]
    client = client_for(block_head)
    before = [m.objects.count() for m in (Submission, Answer, AnswerChange)]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_page_url(submission)).status_code == 200
        url = reverse("campaigns:block_total", args=[submission.pk])
        assert client.get(url, **HTMX).status_code == 200
    assert [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])] == []
    assert [m.objects.count() for m in (Submission, Answer, AnswerChange)] == before


def _sheet_of(size, unit):
    campaign = CampaignFactory(year=2024)
    campaign.participants.add(unit)
    period = PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.YEAR_END,
        opens_on=dt.date(2024, 12, 1),
        due_on=dt.date(2024, 12, 20),
        closes_on=dt.date(2025, 1, 10),
    )
    criteria = [CriterionFactory(campaign=campaign, order=i) for i in range(size)]
    submission = sent(period, unit, {c: D(5) for c in criteria})
    Answer.objects.filter(submission=submission).update(block_score=D(4), reviewer_score=D(3))
    return submission


def test_the_page_costs_the_same_queries_for_3_and_30_criteria(
    block_head, unit_a, client_for, django_assert_max_num_queries
):
    client = client_for(block_head)
    counts = []
    for size in (3, 30):
        submission = _sheet_of(size, unit_a)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_page_url(submission))
        assert response.status_code == 200
        assert response.text.count('name="block_score"') == size
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(_page_url(submission))
    assert counts[0] <= 16


# Side by side elsewhere


def test_the_sheet_the_review_and_the_history_show_the_block_score(
    world, client_for, block_head, head_a, officer
):
    sheet, submission = world["sheet"], world["a"]
    score(submission, sheet.scored, block_head, "45", comment="Thiếu minh chứng")
    score(submission, sheet.scored, officer, "47", comment="Thiếu minh chứng", reason="Đã rà")
    Answer.objects.filter(submission=submission, criterion=sheet.scored).update(
        reviewer_score=D(46)
    )

    own = client_for(head_a).get(reverse("campaigns:submission_detail", args=[submission.pk]))
    assert 'data-testid="block-score">47<' in own.text
    assert "Thiếu minh chứng" in own.text
    assert 'data-testid="block-total">89<' in own.text

    client = client_for(officer)
    review = client.get(reverse("campaigns:review", args=[submission.pk]))
    assert f'data-testid="block-score-{sheet.scored.pk}"' in review.text
    assert "Thiếu minh chứng" in review.text
    assert 'value="46"' in review.text

    history = client.get(reverse("campaigns:submission_history", args=[submission.pk]))
    assert "Đã rà" in history.text
    assert "Điểm khối, cụm chấm" in history.text


def test_the_deputy_units_managers_see_the_head_units_sheet_only(world, client_for):
    deputy = world["deputy"]
    visible = set(Submission.objects.visible_to(deputy).values_list("pk", flat=True))
    assert world["c"].pk in visible
    assert world["a"].pk not in visible
    assert world["b"].pk not in visible
    assert deputy.has_perm("campaigns.view_submission", world["c"])
    assert not deputy.has_perm("campaigns.view_submission", world["a"])
    client = client_for(deputy)
    detail = client.get(reverse("campaigns:submission_detail", args=[world["c"].pk]))
    assert detail.status_code == 200
    assert reverse("campaigns:block_scoring", args=[world["c"].pk]) in detail.text
    assert (
        client.get(reverse("campaigns:submission_detail", args=[world["a"].pk])).status_code == 404
    )


def test_an_anonymous_post_without_htmx_goes_to_the_login(world, client):
    sheet, submission = world["sheet"], world["a"]
    response = client.post(_save_url(submission, sheet.scored), {"version": 1, "block_score": "4"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert answer(submission, sheet.scored).block_score is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_block_scores_both_count_in_the_total(world, block_head, monkeypatch):
    """On PostgreSQL (its row locks are what is tested): the first save computes its
    block total and waits uncommitted; the second, on another criterion, waits for the
    submission's lock, so its total sees the first's score. Run by .ci/run."""
    import threading

    from campaigns.blocks import scoring as block_scoring

    assert connection.vendor == "postgresql", "run with DATABASE_URL on PostgreSQL"
    sheet, submission = world["sheet"], world["a"]
    first_waiting, second_done = threading.Event(), threading.Event()
    refresh = block_scoring.refresh_block_total

    def refresh_then_wait(locked):
        total = refresh(locked)
        if threading.current_thread().name == "first":
            first_waiting.set()
            second_done.wait(timeout=3)
        return total

    monkeypatch.setattr(block_scoring, "refresh_block_total", refresh_then_wait)
    errors = []

    def save(criterion, value, done=None):
        try:
            score(submission, criterion, block_head, value, version=1)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            if done:
                done.set()
            connection.close()

    one = threading.Thread(target=save, args=(sheet.scored, "45"), name="first")
    two = threading.Thread(target=save, args=(sheet.bonus, "0", second_done), name="second")
    one.start()
    assert first_waiting.wait(timeout=10)
    two.start()
    one.join(timeout=10)
    two.join(timeout=10)

    assert errors == []
    row = Submission.objects.get(pk=submission.pk)
    assert row.block_total == D("85.00")  # 45 + 40 + 0
    assert row.block_scored_count == 2
