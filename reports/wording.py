"""The fixed Vietnamese wording of the official documents (PDF and XLSX).

A report of Decree 30/2020/NĐ-CP is written in Vietnamese whatever the language of
the person who asks for it, so its wording lives here and in templates/reports/pdf/,
not in the translation catalogue of the user interface."""

import datetime as dt
from decimal import Decimal

from campaigns.enums import PerformanceGrade, SubmissionState
from units.enums import GroupKind

from .enums import ReportKind

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

KIND_SUBJECT = {
    ReportKind.SIX_MONTHLY: "Sơ kết 6 tháng đầu năm",
    ReportKind.YEAR_END: "Tổng kết năm",
}

GRADES = {
    PerformanceGrade.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    PerformanceGrade.GOOD: "Hoàn thành tốt nhiệm vụ",
    PerformanceGrade.COMPLETED: "Hoàn thành nhiệm vụ",
    PerformanceGrade.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
    "": "Chưa đánh giá",
}

GROUP_KINDS = {GroupKind.BLOCK: "Khối thi đua", GroupKind.CLUSTER: "Cụm thi đua"}

STATES = {
    SubmissionState.DRAFT: "Bản nháp",
    SubmissionState.SUBMITTED: "Đã gửi",
    SubmissionState.RETURNED: "Trả lại để chỉnh sửa",
    SubmissionState.ACCEPTED: "Đã chấp nhận",
    None: "Chưa có",
}

OUTSTANDING_RULE = (
    "Đơn vị tiêu biểu là đơn vị xếp thứ nhất trong khối, cụm thi đua của mình "
    "(theo tổng điểm thẩm định, nếu chưa thẩm định thì theo điểm tự chấm) và có bản "
    "tự đánh giá đã được thẩm định."
)


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
