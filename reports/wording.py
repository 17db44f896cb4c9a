"""The fixed Vietnamese wording of the official documents (PDF and XLSX).

A report of Decree 30/2020/NĐ-CP is written in Vietnamese whatever the language of
the person who asks for it: its own phrases live here and in templates/reports/pdf/,
and the names it shares with the interface (states, grades, kinds of group) are the
interface's translations, read in Vietnamese (vietnamese())."""

import datetime as dt
from decimal import Decimal

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy

from campaigns.enums import PerformanceGrade, SubmissionState
from units.enums import GroupKind

from .enums import ReportKind

DOCUMENT_LANGUAGE = "vi"

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

KIND_SUBJECT = {
    ReportKind.SIX_MONTHLY: "Sơ kết 6 tháng đầu năm",
    ReportKind.YEAR_END: "Tổng kết năm",
}

OUTSTANDING_RULE = (
    "Đơn vị tiêu biểu là đơn vị xếp thứ nhất trong khối, cụm thi đua của mình "
    "(theo tổng điểm thẩm định, nếu chưa thẩm định thì theo điểm tự chấm) và có bản "
    "tự đánh giá đã được thẩm định."
)

NO_SELF_ASSESSMENT = pgettext_lazy("submission state", "None yet")
NOT_ASSESSED = pgettext_lazy("performance grade", "Not assessed")
# The grades in the order the documents list them, the not-yet-assessed last.
GRADE_ORDER = (*PerformanceGrade.values, "")


def vietnamese(text) -> str:
    """A (lazily) translated string as the Vietnamese catalogue has it."""
    with translation.override(DOCUMENT_LANGUAGE):
        return str(text)


def state_label(state: str | None) -> str:
    """A unit's self-assessment state, "Chưa có" when it has none."""
    return vietnamese(SubmissionState(state).label if state else NO_SELF_ASSESSMENT)


def grade_label(grade: str) -> str:
    return vietnamese(PerformanceGrade(grade).label if grade else NOT_ASSESSED)


def group_kind_label(kind: str) -> str:
    return vietnamese(GroupKind(kind).label) if kind in GroupKind.values else kind


def date_line(place: str, day: dt.date | None) -> str:
    """“Hà Nội, ngày 05 tháng 02 năm 2025”; dots for a draft that has no date yet."""
    if day is None:
        return f"{place}, ngày … tháng … năm …"
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def number(value: Decimal | int | None, places: int = 2) -> str:
    """A score or a rate as printed in Vietnamese documents: fixed decimals with a
    decimal comma (92,36), "-" when empty."""
    if value is None or value == "":
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{Decimal(value):.{places}f}".replace(".", ",")


def compact_number(value: Decimal | int | None) -> str:
    """A score without trailing zeros and with a decimal comma (3, 2,5), "-" when
    empty: the cells of a wide matrix."""
    if value is None or value == "":
        return "-"
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


NARRATIVE_FIELDS = ("strengths", "limitations", "next_tasks")
DRAFT_NOTE = "(Dự thảo: nội dung gợi ý từ số liệu, chưa được cán bộ thi đua chỉnh sửa.)"


def narrative(report, figures: dict) -> dict[str, dict]:
    """Each section of the narrative: {"text", "draft"}, the officer's text, or while
    they have written none the starter text, marked as a draft."""
    starter = starter_texts(figures, report.kind)
    return {
        name: {"text": getattr(report, name) or starter[name], "draft": not getattr(report, name)}
        for name in NARRATIVE_FIELDS
    }


def file_name(kind: str, year: int, extension: str) -> str:
    """“bao-cao-so-ket-6-thang-2024.pdf”: the report's name in Vietnamese words
    without diacritics."""
    return f"{ascii_slug(f'Báo cáo {vietnamese(ReportKind(kind).label)} {year}')}.{extension}"


def ascii_slug(text: str) -> str:
    """Vietnamese words as a file name: no diacritics (đ is d), lower case, hyphens."""
    return slugify(text.replace("đ", "d").replace("Đ", "D"))


def starter_texts(figures: dict, kind: str) -> dict[str, str]:
    """A first draft of the narrative from the build's key figures, for the officer to
    rewrite: the numbers are right, the judgement is theirs."""
    if not figures:
        return {"strengths": "", "limitations": "", "next_tasks": ""}
    n = figures["participants"] or 1

    def figure(key: str, places: int = 2) -> str:
        value = figures.get(key)
        return number(Decimal(value) if value not in (None, "") else None, places)

    strengths = [
        f"{figures['on_time']}/{figures['participants']} đơn vị nộp bản tự đánh giá đúng "
        f"hạn ({figure('on_time_rate', 1)}%); điểm bình quân tự chấm "
        f"{figure('self_average')}, điểm bình quân thẩm định "
        f"{figure('reviewed_average')} trên tối đa {figure('max_total')} điểm."
    ]
    if figures.get("outstanding"):
        strengths.append("Đơn vị tiêu biểu: " + ", ".join(figures["outstanding"]) + ".")
    if figures.get("assessed"):
        grades = "; ".join(f"{label}: {count}" for label, count in figures["grades"])
        strengths.append(f"Đã đánh giá {figures['assessed']} cá nhân ({grades}).")
    limitations = (
        f"{figures['late']} đơn vị nộp muộn và {figures['missing']} đơn vị chưa nộp "
        f"({number(Decimal(100 * figures['missing']) / n, 1)}%)."
    )
    next_period = "6 tháng cuối năm" if kind == ReportKind.SIX_MONTHLY else "năm tới"
    next_tasks = (
        f"Đôn đốc {figures['missing']} đơn vị chưa nộp hoàn thành bản tự đánh giá; "
        f"tiếp tục triển khai các nội dung thi đua trong {next_period}."
    )
    return {
        "strengths": "\n\n".join(strengths),
        "limitations": limitations,
        "next_tasks": next_tasks,
    }
