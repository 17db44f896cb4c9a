"""Unit B's year, built once per test module: everything a page or an action of the
product can take from the URL, belonging to unit B, with a distinctive text in every
field a user typed. Unit A, the block head (of a block unit B is not in), a council
member, leadership and an emulation officer are the visitors.

`world()` is a module-scoped fixture: the data is written inside one transaction
opened for the module and rolled back at its end, and every test still runs in its
own savepoint (pytest-django's `db`), so a write a test makes (an officer's allowed
action) is gone before the next test and nothing leaks into other modules.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from campaigns.blocks import acclamation
from campaigns.enums import PerformanceGrade, ProposalKind, ReminderKind, TitleSubject
from campaigns.models import (
    Evidence,
    IndividualAssessment,
    Proposal,
    Registration,
    RegistrationEntry,
    Reminder,
    Title,
    UnitTitle,
)
from campaigns.sheets import answers, workflow
from reports.enums import ReportKind, ReportStatus
from reports.models import Report
from tests.campaigns.sheet import answer_for, fill, make_sheet
from tests.factories import (
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)
from tests.hostile_files import clean_pdf
from units.enums import GroupKind, Role, UnitKind
from units.models import AccountUnlock, ImportJob

# Each of unit B's texts carries the marker, so one search of a page finds any leak.
SECRET = "BÍ MẬT CỦA ĐƠN VỊ B"
SECRETS = {
    "narrative": f"{SECRET}: tường thuật",
    "reviewer_comment": f"{SECRET}: nhận xét thẩm định",
    "commitments": f"{SECRET}: cam kết",
    "notes": f"{SECRET}: ghi chú cá nhân",
    "initiatives": f"{SECRET}: sáng kiến",
    "person": "Bí Mật Nhân Sự Đơn Vị B",
    "strengths": f"{SECRET}: ưu điểm",
    "evidence_name": "bi-mat-don-vi-b.pdf",
}
# Marker inside the stored files of unit B (evidence, report PDF and XLSX).
FILE_SECRET = b"BIMATDONVIB"
# A real one-page PDF (evidence is read as a PDF), the marker in a comment after its end.
EVIDENCE_PDF = clean_pdf() + b"%" + FILE_SECRET + b"\n"

ROLES = ("anonymous", "head_a", "block_head", "council", "leader", "officer")


@dataclass
class World:
    ministry: object
    unit_a: object
    unit_b: object
    unit_c: object
    sheet: object
    users: dict
    submission_b: object
    answer_b: object
    evidence_b: object
    registration_b: object
    person_b: object
    assessment_b: object
    report: object
    reminder_b: object
    cluster_b: object
    acclamation_b: object
    proposal_b: object
    group: object
    title: object
    import_job_b: object
    unlock_b: object
    access_attempt_b: object
    access_log_b: object
    access_failure_b: object
    uidb64_b: str
    cookies: dict = field(default_factory=dict)  # role → {cookie name: value}
    unit_title_b: object = None

    @property
    def period(self):
        return self.sheet.period

    @property
    def campaign(self):
        return self.sheet.period.campaign

    def client(self, role: str, **defaults) -> Client:
        """A client enforcing CSRF like a browser, signed in as the role, holding the
        csrftoken cookie a page of the product gave it."""
        client = Client(enforce_csrf_checks=True, **defaults)
        for name, value in self.cookies[role].items():
            client.cookies[name] = value
        return client

    def csrf_token(self, role: str) -> str:
        return self.cookies[role]["csrftoken"]


def build() -> World:
    year = timezone.localdate().year
    ministry = UnitFactory(code="bo", name="Bộ Tài nguyên và Môi trường", kind=UnitKind.MINISTRY)
    unit_a = UnitFactory(parent=ministry, code="unit-a", name="Vụ Pháp chế", short_name="VPC")
    unit_b = UnitFactory(parent=ministry, code="unit-b", name="Cục Viễn thám", short_name="CVT")
    unit_c = UnitFactory(parent=ministry, code="unit-c", name="Viện Chiến lược", short_name="VCL")
    head_a = MembershipFactory(unit=unit_a, role=Role.HEAD, user__username="head_a").user
    head_b = MembershipFactory(unit=unit_b, role=Role.HEAD, user__username="head_b").user
    block_head = MembershipFactory(unit=unit_c, role=Role.HEAD, user__username="block_head").user
    # The block head's block: units A and C, never unit B, in the movement's year.
    block = EmulationGroupFactory(kind=GroupKind.BLOCK, year=year, head_unit=unit_c)
    GroupMembershipFactory(group=block, unit=unit_a)
    GroupMembershipFactory(group=block, unit=unit_c)
    # Unit B's own cluster, headed by unit B (an admin object of B's).
    cluster_b = EmulationGroupFactory(kind=GroupKind.CLUSTER, year=year, head_unit=unit_b)
    GroupMembershipFactory(group=cluster_b, unit=unit_b)
    users = {
        "anonymous": None,
        "head_a": head_a,
        "block_head": block_head,
        "council": UserFactory(username="council", is_council_member=True),
        "leader": UserFactory(username="leader", is_leadership=True),
        "officer": UserFactory(username="officer", is_emulation_officer=True),
        "head_b": head_b,
    }
    sheet = make_sheet([unit_a, unit_b, unit_c], year=year)
    title = Title.objects.filter(active=True).order_by("pk").first()

    # Unit B's self-assessment: answered, a narrative, an evidence file, submitted,
    # then a reviewer's comment.
    submission_b = answers.open_submission(sheet.period, unit_b)
    fill(submission_b, sheet, head_b, evidence=False)
    answer_b = answer_for(submission_b, sheet.scored)
    answers.save_answer(
        answer_b,
        by=head_b,
        expected_version=answer_b.version,
        narrative=SECRETS["narrative"],
        now=timezone.now(),
    )
    answer_b.refresh_from_db()
    evidence_b = answers.attach_evidence(
        answer_b,
        SimpleUploadedFile(SECRETS["evidence_name"], EVIDENCE_PDF),
        by=head_b,
        now=timezone.now(),
    )
    submission_b = workflow.submit(submission_b, by=head_b, now=timezone.now())
    answer_b.refresh_from_db()
    answers.save_review(
        answer_b,
        by=users["officer"],
        now=timezone.now(),
        expected_version=answer_b.version,
        comment=SECRETS["reviewer_comment"],
    )
    answer_b.refresh_from_db()

    # Unit B's people, registration and year-end assessment.
    person_b = PersonFactory(unit=unit_b, full_name=SECRETS["person"], employee_code="B001")
    registration_b = Registration.objects.create(
        campaign=sheet.period.campaign,
        unit=unit_b,
        commitments=SECRETS["commitments"],
        registered_by=head_b,
    )
    individual = Title.objects.filter(subject=TitleSubject.INDIVIDUAL, active=True).first()
    if individual is not None:
        RegistrationEntry.objects.create(
            registration=registration_b, person=person_b, target_title=individual
        )
    assessment_b = IndividualAssessment.objects.create(
        period=sheet.period,
        person=person_b,
        grade=PerformanceGrade.EXCELLENT,
        notes=SECRETS["notes"],
        initiatives=SECRETS["initiatives"],
    )
    reminder_b = Reminder.objects.create(
        period=sheet.period,
        unit=unit_b,
        kind=ReminderKind.MANUAL,
        sent_on=timezone.localdate() - dt.timedelta(days=1),
        recipients="head_b@example.vn",
    )

    # The period's report (done, with its files): officers and leadership read it.
    report = Report.objects.create(
        campaign=sheet.period.campaign,
        period=sheet.period,
        kind=ReportKind(sheet.period.kind),
        status=ReportStatus.DONE,
        progress=100,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        strengths=SECRETS["strengths"],
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.4\n%" + FILE_SECRET + b"\n%%EOF\n"), save=False)
    report.xlsx.save("r.xlsx", ContentFile(b"PK\x03\x04" + FILE_SECRET), save=False)
    report.save()

    # Unit B's head's background import, login failures and a past unlock.
    import_job_b = ImportJob.objects.create(
        kind="individuals",
        title=f"{SECRET}: nhập đánh giá cá nhân",
        file_name=SECRETS["evidence_name"],
        created_by=head_b,
    )
    access = {
        "username": head_b.username,
        "ip_address": "203.0.113.7",
        "user_agent": "sweep",
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }
    access_attempt_b = AccessAttempt.objects.create(
        **access, get_data="", post_data="", failures_since_start=2
    )
    access_log_b = AccessLog.objects.create(**access)
    access_failure_b = AccessFailureLog.objects.create(**access)
    unlock_b = AccountUnlock.objects.create(
        username=head_b.username, failures=3, unlocked_by=users["officer"]
    )

    # Unit B's cluster votes, through the domain: its acclamation open (a closed one
    # would lock the block scores the sweep changes), unit B's ballot cast, the
    # minutes typed. Its proposal (for the admin's pages) is written as close_vote
    # writes one.
    now = timezone.now()
    acclamation_b = acclamation.open_vote(cluster_b, sheet.period, by=head_b, now=now)
    candidate_b = acclamation_b.candidates.get()
    acclamation.cast_ballot(
        acclamation_b, by=head_b, unit=unit_b, candidate_ids=[candidate_b.pk], now=now
    )
    acclamation.save_minutes(
        acclamation_b, by=head_b, data={"notes": f"{SECRET}: biên bản"}, expected_version=1
    )
    proposal_b = Proposal.objects.create(
        acclamation=acclamation_b,
        unit=unit_b,
        kind=ProposalKind.MINISTRY_FLAG,
        title=Title.objects.get(code=acclamation.FLAG_TITLE),
        votes=1,
        rank=candidate_b.rank,
        order=1,
    )

    world = World(
        ministry=ministry,
        unit_a=unit_a,
        unit_b=unit_b,
        unit_c=unit_c,
        sheet=sheet,
        users=users,
        submission_b=submission_b,
        answer_b=answer_b,
        evidence_b=evidence_b,
        registration_b=registration_b,
        person_b=person_b,
        assessment_b=assessment_b,
        report=report,
        reminder_b=reminder_b,
        cluster_b=cluster_b,
        acclamation_b=acclamation_b,
        proposal_b=proposal_b,
        group=Group.objects.create(name="Nhóm của đơn vị B"),
        title=title,
        import_job_b=import_job_b,
        unlock_b=unlock_b,
        access_attempt_b=access_attempt_b,
        access_log_b=access_log_b,
        access_failure_b=access_failure_b,
        uidb64_b=urlsafe_base64_encode(force_bytes(head_b.pk)),
        # The flag unit B received the year before (its block bonus reads it).
        unit_title_b=UnitTitle.objects.create(unit=unit_b, year=year - 1, title=title),
    )
    for role, user in users.items():
        world.cookies[role] = _sign_in(user)
    return world


def _sign_in(user) -> dict:
    """The cookies of a browser that signed in as user (or stayed anonymous) and then
    opened a page with a form: its session and its csrftoken."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
        page = client.get("/accounts/password_change/")
    else:
        page = client.get("/accounts/login/")
    assert page.status_code == 200, page.status_code
    assert "csrftoken" in client.cookies, "the page set no csrftoken cookie"
    return {name: morsel.value for name, morsel in client.cookies.items()}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build()
        yield built
        transaction.set_rollback(True)


def content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


__all__ = ["ROLES", "SECRET", "SECRETS", "FILE_SECRET", "World", "world", "Evidence"]
