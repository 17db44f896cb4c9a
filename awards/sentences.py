"""The Vietnamese sentences of the eligibility engine's verdicts, and the legal bases
they cite.

These are legal reasoning written as the official documents write it, always in
Vietnamese whatever the reader's language: they are written here in Vietnamese directly,
as templates the engine fills with the facts it used, and deliberately not passed
through gettext (there is no English original to translate from)."""

import datetime as dt

from campaigns.data.titles import TITLES

TITLE_NAMES = {row[0]: row[1] for row in TITLES} | {
    "HCLD3": "Huân chương Lao động hạng Ba",
}
GRADE_NAMES = {
    "HTXSNV": "Hoàn thành xuất sắc nhiệm vụ",
    "HTTNV": "Hoàn thành tốt nhiệm vụ",
    "HTNV": "Hoàn thành nhiệm vụ",
    "KHTNV": "Không hoàn thành nhiệm vụ",
    None: "chưa được xếp loại",
}
TASK_NAMES = {
    "excellent": "hoàn thành xuất sắc nhiệm vụ",
    "good": "hoàn thành tốt nhiệm vụ",
    "complete": "hoàn thành nhiệm vụ",
    "incomplete": "không hoàn thành nhiệm vụ",
    None: "chưa được đánh giá",
}
DISCIPLINE_NAMES = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "ha_bac_luong": "hạ bậc lương",
    "giang_chuc": "giáng chức",
    "cach_chuc": "cách chức",
    "buoc_thoi_viec": "buộc thôi việc",
}
PROCESS_NAMES = {
    "disciplinary_review": "xem xét kỷ luật",
    "inspection": "thanh tra",
    "investigation": "điều tra",
    "complaint": "giải quyết khiếu nại",
}
TRAINING_NAMES = {
    "xuat_sac": "xuất sắc",
    "gioi": "giỏi",
    "kha": "khá",
    "trung_binh": "trung bình",
    None: "chưa có kết quả",
}
LEAVE_NAMES = {
    "maternity": "nghỉ thai sản",
    "sick": "nghỉ ốm",
    "injury": "điều trị thương tích",
    "unpaid": "nghỉ không lương",
}


def title(code: str) -> str:
    return TITLE_NAMES.get(code, code)


def day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else "(không rõ ngày)"


def years(values) -> str:
    values = sorted(values)
    return ", ".join(str(y) for y in values) if values else "không có năm nào"


def percent(value) -> str:
    text = f"{float(value) * 100:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


class Bases:
    """The legal bases of a rule set: the detailing decree and the circular differ
    between the set of 2024 and the set from 1 July 2025."""

    LAW = "Luật Thi đua, khen thưởng 06/2022/QH15"

    def __init__(self, rule_set_code: str):
        recent = rule_set_code.startswith("RS-2025")
        self.decree = "Nghị định 152/2025/NĐ-CP" if recent else "Nghị định 98/2023/NĐ-CP"
        self.circular = "Thông tư 15/2025/TT-BNV" if recent else "Thông tư 01/2024/TT-BNV"

    def law(self, article: str) -> str:
        return f"{self.LAW}, {article}"

    @property
    def principles(self) -> str:
        return f"{self.decree}, Điều 4"

    @property
    def special_cases(self) -> str:
        return f"{self.circular}, Điều 1"


# Shared rules of an individual
TENURE_OK = "Thời gian công tác tính trong năm {year} là {months} tháng (từ {since}), không ít hơn {minimum} tháng."
TENURE_SHORT = "Thời gian công tác tính trong năm {year} chỉ {months} tháng (từ {since}), ít hơn {minimum} tháng nên không thuộc diện xem xét."
TENURE_FULL = "Công tác cả năm {year} (bắt đầu công tác {since})."
TENURE_PRIOR = " Thời gian hợp đồng lao động trước đó tại cùng cơ quan từ {prior} được tính."
TENURE_PRIOR_NOT = " Thời gian hợp đồng lao động trước đó tại cùng cơ quan từ {prior} không được tính theo bộ quy tắc."
WORKING_TIME = "Năm {year}: {leaves}; thời gian làm việc được tính là {months} tháng, {verdict} mức tối thiểu {minimum} tháng."
LEAVE_COUNTED = "{kind} từ {start} đến {end} được tính là thời gian làm việc"
LEAVE_NOT_COUNTED = "{kind} từ {start} đến {end} không được tính là thời gian làm việc"
ABSENCE = "Năm {year} nghỉ {days} ngày làm việc (không kể thời gian được tính là làm việc); mức loại trừ là {limit} ngày."
TRAINING_OK = "Khóa đào tạo {course} ({start} – {end}, {months} tháng): chấp hành quy định{completion}; thời gian đào tạo được tính là thời gian công tác."
TRAINING_BAD = "Khóa đào tạo {course} ({start} – {end}, {months} tháng): {problem}; năm {year} không được tính."
TRAINING_LONG = ", đã hoàn thành, kết quả {result} (yêu cầu từ {minimum} trở lên)"
TRANSFER_NOT_NEEDED = "Chuyển công tác từ {from_unit} ngày {date}, sau {months} tháng tại đơn vị cũ (dưới {minimum} tháng) nên không cần ý kiến nhận xét của đơn vị cũ."
TRANSFER_OK = "Chuyển công tác từ {from_unit} ngày {date}, sau {months} tháng tại đơn vị cũ; đã có ý kiến nhận xét của đơn vị cũ."
TRANSFER_MISSING = "Chuyển công tác từ {from_unit} ngày {date}, sau {months} tháng tại đơn vị cũ (từ {minimum} tháng trở lên) nhưng chưa có ý kiến nhận xét của đơn vị cũ."
DISCIPLINE_NONE = "Không bị kỷ luật trong thời gian xét ({period})."
DISCIPLINE_BARS = "Bị kỷ luật {level} (quyết định ngày {decided}, hiệu lực {start} – {end}) trong thời gian xét ({period})."
DISCIPLINE_PARTIAL = "Bị kỷ luật {level}, hết hiệu lực ngày {end}; thời gian còn lại của năm {year} là {months} tháng, {verdict} {minimum} tháng nên thành tích {counted} từ ngày hết kỷ luật."
DISCIPLINE_OTHER_YEAR = "Bị kỷ luật {level} (quyết định ngày {decided}) ngoài năm được xét; bộ quy tắc không tính lại thành tích từ khi hết kỷ luật."
OPEN_NONE = "Không có quá trình xem xét kỷ luật, thanh tra, điều tra hay khiếu nại nào đang mở vào ngày {as_of}."
OPEN_BARS = "Đang trong quá trình {kind} (mở ngày {opened}, chưa kết thúc vào ngày {as_of}) nên chưa được khen thưởng."
OPEN_IGNORED = "Đang trong quá trình {kind} (mở ngày {opened}); bộ quy tắc không coi đây là căn cứ hoãn khen thưởng."
LEADER_OK = "Là người đứng đầu đơn vị; năm {year} đơn vị đạt {held}, đáp ứng yêu cầu {required}."
LEADER_MISSING = "Là người đứng đầu đơn vị; năm {year} đơn vị không đạt {required} (danh hiệu của đơn vị: {held})."

# LĐTT and CSTĐCS
GRADE_OK = "Năm {year} xếp loại {grade}, đạt mức Hoàn thành tốt nhiệm vụ trở lên."
GRADE_LOW = "Năm {year} xếp loại {grade}, chưa đạt mức Hoàn thành tốt nhiệm vụ."
CONDUCT_OK = "Năm {year} được Hội đồng đơn vị ghi nhận có tinh thần tự lực, tự cường, đoàn kết, tương trợ, tích cực tham gia phong trào thi đua."
CONDUCT_BAD = "Năm {year} Hội đồng đơn vị ghi nhận chưa đạt yêu cầu về tinh thần tự lực, đoàn kết, tích cực tham gia phong trào thi đua."
BASE_LDTT_OK = "Năm {year} đạt tiêu chuẩn Lao động tiên tiến: xếp loại {grade}, được ghi nhận tích cực tham gia phong trào thi đua."
BASE_LDTT_BAD = "Năm {year} chưa đạt tiêu chuẩn Lao động tiên tiến: xếp loại {grade}{conduct}."
CONDUCT_MISSING = ", chưa được ghi nhận tích cực tham gia phong trào thi đua"
ACHIEVEMENT_GRADE = "Năm {year} xếp loại Hoàn thành xuất sắc nhiệm vụ."
ACHIEVEMENT_INITIATIVE = "Năm {year} có {kind} {ident} được công nhận ngày {recognized}."
ACHIEVEMENT_NONE = "Năm {year} xếp loại {grade} và không có sáng kiến hay đề tài khoa học nào được công nhận {when}."
REUSE_OK = "{kind} {ident} chưa được dùng làm căn cứ cho danh hiệu, hình thức khen thưởng nào khác."
REUSE_USED = "Mọi sáng kiến, đề tài của năm {year} đã được dùng làm căn cứ trước đó ({uses}); một sáng kiến không được dùng lại."
CAP_OK = "Đơn vị có {ldtt} người đạt Lao động tiên tiến; chỉ tiêu Chiến sĩ thi đua cơ sở là {quota} ({share} × {ldtt}, làm tròn {rounding}); người này xếp thứ {rank}, trong chỉ tiêu."
CAP_OVER = "Đơn vị có {ldtt} người đạt Lao động tiên tiến; chỉ tiêu Chiến sĩ thi đua cơ sở là {quota} ({share} × {ldtt}, làm tròn {rounding}); người này xếp thứ {rank}, ngoài chỉ tiêu."
CAP_UNKNOWN = "Chưa có số người đạt Lao động tiên tiến của đơn vị hoặc thứ tự xét Chiến sĩ thi đua cơ sở nên chưa xác định được chỉ tiêu."
ROUNDING_NAMES = {"floor": "xuống", "round": "đến số nguyên gần nhất"}

# Consecutive-year ladders
STREAK_OK = "Đạt {title} liên tục {count} năm ({years}), kết thúc năm {year}; yêu cầu {needed} năm liên tục."
STREAK_SHORT = "Chuỗi {title} liên tục kết thúc năm {year} chỉ gồm {count} năm ({years}); yêu cầu {needed} năm liên tục{used}."
STREAK_USED = "; các năm đến {last} đã được tính cho {award} trước đó"
INITIATIVE_SCOPE_OK = "Có {kind} {ident} được công nhận ngày {recognized}, phạm vi ảnh hưởng {scope}, chưa dùng cho khen thưởng khác."
INITIATIVE_SCOPE_NONE = "Không có sáng kiến hay đề tài khoa học nào chưa sử dụng, phạm vi ảnh hưởng {scope}, được công nhận đến năm {year}{used}."
INITIATIVE_USED_NOTE = " (đã dùng: {uses})"
SCOPE_NAMES = {"co_so": "cấp cơ sở", "bo": "cấp Bộ trở lên", "toan_quoc": "toàn quốc"}
KIND_NAMES = {"initiative": "sáng kiến", "sci_work": "đề tài khoa học"}
BK_ROUTE_CSTDCS = (
    "Đường thứ nhất: {count}/{needed} năm Chiến sĩ thi đua cơ sở liên tục ({years}){initiatives}."
)
BK_ROUTE_HTXSNV = (
    "Đường thứ hai: {count}/{needed} năm liên tục Hoàn thành xuất sắc nhiệm vụ ({years}), {inits}."
)
BK_INITS = "{count}/{needed} sáng kiến hoặc đề tài chưa sử dụng trong các năm đó"
BK_ROUTE_VERDICT = {True: "Đáp ứng ít nhất một đường xét.", False: "Không đáp ứng đường xét nào."}
CHAIN_OK = "Đạt Chiến sĩ thi đua cấp Bộ các năm {years}, liên tục (Chiến sĩ thi đua cơ sở không gián đoạn giữa các lần)."
CHAIN_SHORT = "Chiến sĩ thi đua cấp Bộ được tính: {years}; chưa đủ {needed} lần liên tục{why}."
CHAIN_TIMING = "; lần thứ {needed} phải là năm được xét {year}"
CHAIN_BROKEN = "; chuỗi Chiến sĩ thi đua cơ sở bị gián đoạn năm {gap}"
BASE_AWARD_OK = "Đã được tặng {award} (thành tích năm {year}, quyết định {decision})."
BASE_AWARD_NONE = "Chưa được tặng {award} theo thành tích thường xuyên{ignored}."
BASE_AWARD_IGNORED = (
    "; {award} thành tích năm {year} là khen thưởng {kind}, không làm căn cứ khen cao hơn"
)
AWARD_KINDS = {"thematic": "theo chuyên đề", "extraordinary": "đột xuất", "regular": "thường xuyên"}
RUN_OK = "Từ năm {start} đến năm {year} có {count} năm liên tục xếp loại Hoàn thành tốt nhiệm vụ trở lên; yêu cầu {needed} năm."
RUN_SHORT = "Sau {award} chỉ có {count} năm liên tục xếp loại Hoàn thành tốt nhiệm vụ trở lên đến năm {year} ({years}); yêu cầu {needed} năm."
COUNT_IN_RUN = "Trong các năm đó có {count} năm {what} ({years}); yêu cầu {needed}."

# Collectives
TASK_OK = "Năm {year} đơn vị {task}, đạt mức {minimum} trở lên."
TASK_LOW = "Năm {year} đơn vị {task}, chưa đạt mức {minimum}."
FINDING_TRUE = "Năm {year} được xác nhận: {finding}."
FINDING_FALSE = "Năm {year} chưa được xác nhận: {finding}."
FINDINGS = {
    "emulation_active": "tổ chức phong trào thi đua thường xuyên, thiết thực, hiệu quả",
    "unity_compliance": "nội bộ đoàn kết, chấp hành tốt chủ trương, chính sách của Đảng, pháp luật của Nhà nước",
    "exceeded_targets": "hoàn thành vượt mức các chỉ tiêu được giao",
    "new_model": "có nhân tố mới, mô hình mới để các tập thể khác học tập",
    "thrift_anticorruption": "dẫn đầu thực hành tiết kiệm, chống lãng phí, phòng chống tham nhũng",
    "party_mass_orgs_clean": "tổ chức đảng, đoàn thể trong sạch, vững mạnh",
}
SHARE = "{count}/{total} thành viên {denominator} {what} ({share}); yêu cầu {comparator} {minimum}."
DENOMINATORS = {"graded_members": "được xếp loại", "all_members": ""}
COMPARATORS = {"gt": "trên", "ge": "từ"}
COUNT_MEMBERS = "{count} thành viên đạt {what} ({ids}); yêu cầu ít nhất {needed}."
MEMBER_DISC_NONE = "Năm {year} không có thành viên nào bị kỷ luật từ mức {bar} trở lên."
MEMBER_DISC_BARS = "Năm {year} có thành viên bị kỷ luật từ mức {bar} trở lên: {who}."
UNIT_OPEN_NONE = "Đơn vị không có quá trình thanh tra, điều tra, xem xét kỷ luật hay khiếu nại nào đang mở vào ngày {as_of}."
UNIT_OPEN_BARS = "Đơn vị đang trong quá trình {kind} (mở ngày {opened}) vào ngày {as_of}."
DISSOLVED_NO = "Đơn vị đang hoạt động vào ngày {as_of}."
DISSOLVED_YES = "Đơn vị đã giải thể ngày {dissolved}, trước ngày xét {as_of}."
DISSOLVED_IGNORED = "Đơn vị đã giải thể ngày {dissolved}; bộ quy tắc vẫn cho phép khen thưởng."
LEADER_OF_BLOCK_OK = "Được {grouping} “{name}” suy tôn dẫn đầu năm {year} (xếp thứ {rank}/{count})."
LEADER_OF_BLOCK_NO = (
    "Không được {grouping} “{name}” suy tôn dẫn đầu năm {year} (xếp thứ {rank}/{count})."
)
NO_GROUPING = "Không có kết quả khối, cụm thi đua năm {year}."
GROUPING_NAMES = {"block": "Khối thi đua", "cluster": "Cụm thi đua"}
QUOTA_OK = "Có {leaders} tập thể dẫn đầu các khối, cụm của Bộ; chỉ tiêu đề nghị Cờ thi đua của Chính phủ là {quota} ({share} × {leaders}, làm tròn {rounding}); đơn vị xếp thứ {rank}, trong chỉ tiêu."
QUOTA_OVER = "Có {leaders} tập thể dẫn đầu các khối, cụm của Bộ; chỉ tiêu đề nghị Cờ thi đua của Chính phủ là {quota} ({share} × {leaders}, làm tròn {rounding}); đơn vị xếp thứ {rank}, ngoài chỉ tiêu."
QUOTA_UNKNOWN = "Chưa có số tập thể dẫn đầu các khối, cụm hoặc thứ tự xét của Hội đồng Bộ nên chưa xác định được chỉ tiêu."
WRONG_RECORD = "Hồ sơ không phù hợp: {title} xét cho {expected}, hồ sơ này là của {got}."
