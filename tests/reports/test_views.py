import datetime as dt

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from campaigns.enums import CampaignStatus, PeriodKind
from reports.enums import ReportStatus
from reports.models import NOT_TAKEN_AFTER, Report
from reports.tasks import task_build_report

from ..factories import CampaignFactory, PeriodFactory
from .conftest import make_movement, read, report_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 test"
XLSX = b"PK\x03\x04 test"


def _done(movement, **fields) -> Report:
    report = report_for(movement, status=ReportStatus.DONE, progress=100, **fields)
    report.pdf.save("r.pdf", ContentFile(PDF), save=False)
    report.xlsx.save("r.xlsx", ContentFile(XLSX), save=False)
    report.pdf_size, report.xlsx_size = len(PDF), len(XLSX)
    report.figures = {
        "participants": 3,
        "on_time": 2,
        "late": 0,
        "missing": 1,
        "accepted": 1,
        "on_time_rate": "66.7",
        "self_average": "50.00",
        "reviewed_average": None,
        "max_total": "60.00",
        "outstanding": ["Cục Thi đua số 01"],
        "groups": 1,
    }
    report.save()
    return report


@pytest.fixture
def small_movement(db):
    return make_movement(3)


@pytest.fixture
def done_report(small_movement):
    return _done(small_movement)


GET_PAGES = ["index", "campaign", "detail", "status", "download_pdf", "download_xlsx"]
POST_PAGES = ["request", "narrative", "finalise", "retry"]


def _url(name: str, report: Report) -> str:
    if name == "index":
        return reverse("reports:index")
    if name in ("campaign", "request"):
        return reverse(f"reports:{name}", kwargs={"campaign_pk": report.campaign_id})
    return reverse(f"reports:{name}", kwargs={"pk": report.pk})


# Units, block heads and the council have no business with the ministry's report: a
# list answers 403, a report does not exist (404). Leadership reads, officers act.
DENIED_LIST = {"index": 403, "campaign": 403, "request": 403}


def _expected(role: str, name: str, method: str) -> int:
    if role == "anonymous":
        return 302
    if role in ("head_a", "head_b", "block_head", "council"):
        return DENIED_LIST.get(name, 404)
    if role == "leader":
        return 200 if method == "get" else 403
    return 200 if method == "get" else 302


@pytest.mark.parametrize("name", GET_PAGES)
@pytest.mark.parametrize(
    "role", ["anonymous", "head_a", "head_b", "block_head", "council", "leader", "officer"]
)
def test_get_pages_by_role(cast, client_for, done_report, role, name):
    response = client_for(cast[role]).get(_url(name, done_report))
    response.close()  # a download holds the file open

    assert response.status_code == _expected(role, name, "get")
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", POST_PAGES)
@pytest.mark.parametrize(
    "role", ["anonymous", "head_a", "head_b", "block_head", "council", "leader", "officer"]
)
def test_post_actions_by_role(cast, client_for, small_movement, role, name):
    status = ReportStatus.FAILED if name == "retry" else ReportStatus.DONE
    report = _done(small_movement, strengths="A", limitations="B", next_tasks="C")
    Report.objects.filter(pk=report.pk).update(status=status)
    data = {
        "request": {"period": small_movement.period.pk},
        "narrative": {"strengths": "S", "limitations": "L", "next_tasks": "N"},
        "finalise": {"number": "7", "issued_on": "05/02/2025"},
        "retry": {},
    }[name]

    response = client_for(cast[role]).post(_url(name, report), data)

    assert response.status_code == _expected(role, name, "post")
    changed = Report.objects.filter(status=ReportStatus.QUEUED).exists()
    assert changed is (role == "officer")


def test_officer_builds_a_report_from_the_browser(
    client_for, officer, small_movement, django_capture_on_commit_callbacks
):
    client = client_for(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request", kwargs={"campaign_pk": small_movement.campaign.pk}),
            {"period": small_movement.period.pk},
        )

    report = Report.objects.get()
    assert response.url == reverse("reports:detail", kwargs={"pk": report.pk})
    assert (report.status, report.requested_by) == (ReportStatus.DONE, officer)
    page = client.get(response.url).content.decode()
    assert reverse("reports:download_pdf", kwargs={"pk": report.pk}) in page
    assert "<svg" in page
    download = client.get(reverse("reports:download_pdf", kwargs={"pk": report.pk}))
    assert b"".join(download.streaming_content) == read(report.pdf)
    download.close()


def test_running_report_page_polls_its_status(client_for, officer, small_movement):
    report = report_for(small_movement, status=ReportStatus.RUNNING, progress=40, step="pdf")

    page = client_for(officer).get(reverse("reports:detail", kwargs={"pk": report.pk}))

    html = page.content.decode()
    status_url = reverse("reports:status", kwargs={"pk": report.pk})
    assert f'hx-get="{status_url}?polling=1" hx-trigger="every 2s"' in html
    assert '<progress class="report-progress" max="100" value="40">' in html
    assert "style=" not in html


def test_status_fragment_reloads_the_page_when_the_build_ends(client_for, officer, done_report):
    url = reverse("reports:status", kwargs={"pk": done_report.pk})

    response = client_for(officer).get(url + "?polling=1", headers={"HX-Request": "true"})

    assert response["HX-Refresh"] == "true"
    assert "hx-get" not in response.content.decode()
    assert response.content.decode().lstrip().startswith('<div id="report-status"')


def test_failed_report_shows_its_error(client_for, officer, small_movement):
    report = report_for(small_movement, status=ReportStatus.FAILED, error="OSError: disk full")

    page = client_for(officer).get(reverse("reports:detail", kwargs={"pk": report.pk}))

    assert "OSError: disk full" in page.content.decode()


def test_unreachable_broker_is_told_to_the_officer(
    client_for, officer, small_movement, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise BrokerError("Connection refused")

    monkeypatch.setattr(task_build_report, "apply_async", broker_down)
    client = client_for(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request", kwargs={"campaign_pk": small_movement.campaign.pk}),
            {"period": small_movement.period.pk},
        )

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages asserted in English
    page = client.get(response.url).content.decode()
    assert Report.objects.get().status == ReportStatus.QUEUED
    assert "The task queue could not be reached." in page


def test_narrative_form_starts_from_the_key_figures(client_for, officer, done_report):
    page = client_for(officer).get(reverse("reports:detail", kwargs={"pk": done_report.pk}))

    text = page.content.decode()
    assert "2/3 đơn vị nộp bản tự đánh giá đúng hạn (66,7%)" in text
    assert (
        "điểm bình quân tự chấm 50,00, điểm bình quân thẩm định - trên tối đa 60,00 điểm." in text
    )


def test_finalise_rejects_a_bad_number_with_a_message(client_for, officer, done_report):
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages asserted in English

    response = client.post(
        reverse("reports:finalise", kwargs={"pk": done_report.pk}),
        {"number": "12/BC", "issued_on": "05/02/2025"},
    )

    assert response.status_code == 400
    assert "Enter the number only" in response.content.decode()
    assert Report.objects.get().is_final is False


def test_final_report_offers_no_forms(client_for, officer, small_movement):
    report = _done(
        small_movement,
        strengths="A",
        limitations="B",
        next_tasks="C",
        number="9",
        issued_on=dt.date(2025, 2, 5),
        finalised_at=dt.datetime(2025, 2, 5, tzinfo=dt.UTC),
    )

    html = client_for(officer).get(reverse("reports:detail", kwargs={"pk": report.pk})).content

    assert reverse("reports:narrative", kwargs={"pk": report.pk}).encode() not in html
    assert reverse("reports:finalise", kwargs={"pk": report.pk}).encode() not in html


def test_download_is_an_attachment_with_the_right_type(client_for, leader, done_report):
    response = client_for(leader).get(
        reverse("reports:download_xlsx", kwargs={"pk": done_report.pk})
    )

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-tong-ket-nam-2024.xlsx"'
    )
    assert b"".join(response.streaming_content) == XLSX
    response.close()


@pytest.mark.parametrize(
    ("kind", "fmt", "name"),
    [
        (PeriodKind.SIX_MONTHLY, "pdf", "bao-cao-so-ket-6-thang-2024.pdf"),
        (PeriodKind.SIX_MONTHLY, "xlsx", "bao-cao-so-ket-6-thang-2024.xlsx"),
        (PeriodKind.YEAR_END, "pdf", "bao-cao-tong-ket-nam-2024.pdf"),
    ],
)
def test_downloads_are_named_in_vietnamese_words_without_diacritics(
    client_for, leader, db, kind, fmt, name
):
    report = _done(make_movement(1, kind=kind))

    response = client_for(leader).get(reverse(f"reports:download_{fmt}", kwargs={"pk": report.pk}))

    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    response.close()


@pytest.mark.parametrize("builds", [1, 3])
def test_campaign_reports_page_query_count(
    client_for, officer, small_movement, builds, django_assert_num_queries
):
    for _ in range(builds):
        _done(small_movement, requested_by=officer)
    client = client_for(officer)
    url = reverse("reports:campaign", kwargs={"campaign_pk": small_movement.campaign.pk})

    # session, user, campaign, reports with their period and requester, periods of the form
    with django_assert_num_queries(5):
        response = client.get(url)

    assert len(response.context["reports"]) == builds


@pytest.mark.parametrize("builds", [1, 3])
def test_index_and_detail_query_counts(
    client_for, officer, small_movement, builds, django_assert_num_queries
):
    reports = [_done(small_movement, requested_by=officer) for _ in range(builds)]
    client = client_for(officer)

    # session, user, periods with their movement and build counts
    with django_assert_num_queries(3):
        client.get(reverse("reports:index"))
    # session, user, the report with its movement, period and people
    with django_assert_num_queries(3):
        client.get(reverse("reports:detail", kwargs={"pk": reports[-1].pk}))


@pytest.mark.parametrize("issued_on", ["01/01/1999", "31/12/2099"])
def test_finalise_refuses_a_document_date_out_of_range_and_keeps_the_typing(
    client_for, officer, done_report, issued_on
):
    done_report.strengths, done_report.limitations, done_report.next_tasks = "A", "B", "C"
    done_report.save()
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages asserted in English

    response = client.post(
        reverse("reports:finalise", kwargs={"pk": done_report.pk}),
        {"number": "125", "issued_on": issued_on, "signer_name": "Nguyễn Văn A"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "The document date must be between" in html
    assert 'value="125"' in html
    assert 'value="Nguyễn Văn A"' in html
    assert Report.objects.get().is_final is False


def test_build_not_taken_says_so_and_offers_to_queue_it_again(client_for, officer, small_movement):
    stuck = report_for(
        small_movement,
        status=ReportStatus.QUEUED,
        queued_at=timezone.now() - NOT_TAKEN_AFTER - dt.timedelta(minutes=1),
    )
    fresh = report_for(small_movement, status=ReportStatus.QUEUED)
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    stuck_page = client.get(reverse("reports:detail", kwargs={"pk": stuck.pk})).content.decode()
    fresh_page = client.get(reverse("reports:detail", kwargs={"pk": fresh.pk})).content.decode()

    assert "No worker has taken the build in five minutes" in stuck_page
    assert reverse("reports:retry", kwargs={"pk": stuck.pk}) in stuck_page
    assert "Queue it again now" in stuck_page
    assert "No worker has taken the build" not in fresh_page
    assert reverse("reports:retry", kwargs={"pk": fresh.pk}) not in fresh_page


def test_build_that_could_not_be_queued_says_it_starts_within_a_minute(
    client_for, officer, small_movement
):
    report = report_for(
        small_movement,
        status=ReportStatus.QUEUED,
        queue_error="OperationalError: Connection refused.",
    )
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("reports:detail", kwargs={"pk": report.pk})).content.decode()

    assert "The task queue could not be reached." in page
    assert "it starts on its own within a minute of the queue coming back" in page
    assert "OperationalError: Connection refused." in page
    assert reverse("reports:retry", kwargs={"pk": report.pk}) in page


def test_second_request_while_the_first_build_is_under_way_shows_that_build(
    client_for, officer, small_movement, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(task_build_report, "apply_async", lambda **kwargs: sent.append(kwargs))
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("reports:request", kwargs={"campaign_pk": small_movement.campaign.pk})

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"period": small_movement.period.pk})
        second = client.post(url, {"period": small_movement.period.pk}, follow=True)

    report = Report.objects.get()
    assert first.url == reverse("reports:detail", kwargs={"pk": report.pk})
    assert second.redirect_chain == [(first.url, 302)]
    assert "A build of this report is already under way" in second.content.decode()
    assert [kwargs["kwargs"]["report_id"] for kwargs in sent] == [report.pk]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ReportStatus.DONE},
        {"status": ReportStatus.FAILED},
        {"status": ReportStatus.QUEUED, "automatic": True},
        {"status": ReportStatus.QUEUED, "pdf": "reports/1/old.pdf"},
    ],
    ids=["done", "failed", "automatic", "rebuild-for-its-text"],
)
def test_a_new_request_is_a_new_build_when_none_of_the_officers_is_under_way(
    client_for, officer, small_movement, monkeypatch, fields
):
    monkeypatch.setattr(task_build_report, "apply_async", lambda **kwargs: None)
    earlier = report_for(small_movement, **fields)

    response = client_for(officer).post(
        reverse("reports:request", kwargs={"campaign_pk": small_movement.campaign.pk}),
        {"period": small_movement.period.pk},
    )

    new = Report.objects.exclude(pk=earlier.pk).get()
    assert response.url == reverse("reports:detail", kwargs={"pk": new.pk})


@pytest.mark.parametrize(("role", "sees_draft"), [("leader", False), ("officer", True)])
def test_index_lists_a_draft_movement_to_officers_only(request, client_for, role, sees_draft):
    launched = PeriodFactory(campaign=CampaignFactory(name="Phong trào đang chạy"))
    draft = PeriodFactory(
        campaign=CampaignFactory(name="Phong trào đang soạn", status=CampaignStatus.DRAFT)
    )

    response = client_for(request.getfixturevalue(role)).get(reverse("reports:index"))

    shown = {period.pk for period in response.context["periods"]}
    assert shown == ({launched.pk, draft.pk} if sees_draft else {launched.pk})
