"""The 2024 emulation movement of the Ministry of Natural Resources and Environment
(seed article, Báo Tài nguyên và Môi trường, 30/01/2024): its six contents, six tasks
and solutions, the scoring tables for collectives, individuals and unit leaders, and
the two reporting periods."""

import datetime as dt
from decimal import Decimal

from campaigns.enums import CampaignKind, CampaignStatus, CriterionKind, PeriodKind, Subject
from campaigns.models import Campaign, Content, Criterion, Period, Task
from campaigns.movement import lifecycle
from units.models import Unit

from .sync import index, sync_row

CAMPAIGN = {
    "name": "Phong trào thi đua năm 2024",
    "theme": "Kỷ cương trách nhiệm, chủ động kịp thời, tăng tốc sáng tạo",
    "year": 2024,
    "kind": CampaignKind.ANNUAL,
    "document_number": "386/KH-BTNMT",
    "document_date": dt.date(2024, 1, 26),
    "launched_by": "Bộ trưởng Bộ Tài nguyên và Môi trường",
    "description": (
        "Năm 2024 là năm bứt phá, có ý nghĩa đặc biệt quan trọng trong việc thực hiện thắng "
        "lợi Kế hoạch 5 năm 2021-2025. Bộ trưởng Bộ Tài nguyên và Môi trường phát động phong "
        "trào thi đua trong toàn ngành nhằm động viên cán bộ, công chức, viên chức và người "
        "lao động thi đua lao động, học tập, phát huy kết quả đạt được, vượt qua khó khăn, "
        "thách thức, hoàn thành tốt hơn nữa nhiệm vụ Đảng, Nhà nước và Nhân dân giao; đồng "
        "thời thiết thực chào mừng các sự kiện chính trị quan trọng của đất nước.\n\n"
        "Vụ Tổ chức cán bộ chủ trì theo dõi, hướng dẫn, đôn đốc, kiểm tra, giám sát thường "
        "xuyên và định kỳ 6 tháng, cuối năm, báo cáo Bộ trưởng kết quả thực hiện; tham mưu "
        "khen thưởng kịp thời các tập thể, cá nhân có thành tích trong phong trào thi đua."
    ),
    "starts_on": dt.date(2024, 1, 1),
    "ends_on": dt.date(2024, 12, 31),
}
# Launched by the Minister's plan: the date of its document.
LAUNCHED_AT = dt.datetime(2024, 1, 26, 9, tzinfo=dt.UTC)

CONTENTS = [
    (
        "Hoàn thiện thể chế, chính sách, pháp luật về tài nguyên và môi trường",
        "Thi đua hoàn thiện, phát triển đồng bộ chính sách, pháp luật về quản lý tài nguyên và "
        "môi trường nhằm huy động, sử dụng hiệu quả các nguồn lực tài nguyên phục vụ phát "
        "triển kinh tế - xã hội, bảo vệ môi trường sống, chủ động thích ứng với biến đổi khí "
        "hậu và phát triển bền vững.",
    ),
    (
        "Nâng cao chất lượng đội ngũ gắn với siết chặt kỷ luật, kỷ cương hành chính",
        "Xây dựng, nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức và người lao động "
        "theo đề án vị trí việc làm, gắn với siết chặt kỷ luật, kỷ cương hành chính nhằm nâng "
        "cao hiệu lực, hiệu quả hoạt động của các cơ quan, đơn vị.",
    ),
    (
        "Cải cách hành chính, xây dựng Chính phủ điện tử hướng tới Chính phủ số",
        "Tiếp tục đẩy mạnh cải cách hành chính, trọng tâm là cải cách thủ tục hành chính; thực "
        "hiện có hiệu quả các nội dung, nhiệm vụ xây dựng, phát triển Chính phủ điện tử hướng "
        "tới Chính phủ số của Bộ Tài nguyên và Môi trường.",
    ),
    (
        "Thực hiện các đề án, nhiệm vụ được giao bảo đảm chất lượng, tiến độ",
        "Triển khai, tổ chức thực hiện các đề án, nhiệm vụ, công việc được giao bảo đảm chất "
        "lượng, tiến độ; tiếp tục nâng cao hiệu quả hoạt động, thực hiện chức năng, nhiệm vụ "
        "của các cơ quan, đơn vị, góp phần hoàn thành thắng lợi nhiệm vụ chính trị của ngành "
        "tài nguyên và môi trường.",
    ),
    (
        "Hưởng ứng các phong trào thi đua, nhân rộng mô hình tiên tiến",
        "Hưởng ứng, tổ chức triển khai thực hiện các phong trào thi đua do Thủ tướng Chính phủ, "
        "Hội đồng Thi đua - Khen thưởng Trung ương, Bộ trưởng Bộ Tài nguyên và Môi trường và "
        "các cấp có thẩm quyền phát động, bảo đảm thiết thực, hiệu quả, đổi mới, sáng tạo; đẩy "
        "mạnh công tác xây dựng, nhân rộng các mô hình tiên tiến.",
    ),
    (
        "Phong trào văn hóa, văn nghệ, thể dục, thể thao",
        "Đẩy mạnh các phong trào văn hóa, văn nghệ, thể dục, thể thao nhằm nâng cao sức khỏe, "
        "đời sống tinh thần của cán bộ, công chức, viên chức và người lao động, góp phần thực "
        "hiện thắng lợi nhiệm vụ chính trị của cơ quan, đơn vị.",
    ),
]

TASKS = [
    (
        "Xây dựng, ban hành và thực hiện chương trình hành động, kế hoạch công tác năm 2024",
        "Tập trung xây dựng, ban hành, triển khai kịp thời, hiệu quả các chương trình hành "
        "động, kế hoạch công tác nhằm thực hiện có hiệu quả Chương trình hành động của Bộ Tài "
        "nguyên và Môi trường thực hiện Nghị quyết của Chính phủ về những nhiệm vụ, giải pháp "
        "chủ yếu thực hiện Kế hoạch phát triển kinh tế - xã hội và Dự toán ngân sách nhà nước "
        "năm 2024 và Chương trình, kế hoạch công tác năm 2024 của các địa phương, cơ quan, "
        "đơn vị.",
    ),
    (
        "Hoàn thiện thể chế, chính sách, pháp luật về tài nguyên, môi trường và biến đổi khí hậu",
        "Tiếp tục rà soát, hoàn thiện thể chế, xây dựng đồng bộ chính sách, pháp luật về quản "
        "lý tài nguyên, bảo vệ môi trường và ứng phó với biến đổi khí hậu; trình Quốc hội, "
        "Chính phủ dự án Luật Địa chất và Khoáng sản; hoàn thiện, trình ban hành và ban hành "
        "theo thẩm quyền các văn bản hướng dẫn thi hành Luật Tài nguyên nước (sửa đổi), Luật "
        "Đất đai (sửa đổi), bảo đảm đồng bộ, thống nhất, có hiệu lực kịp thời cùng thời điểm "
        "với Luật.",
    ),
    (
        "Vị trí việc làm, tinh giản biên chế, kỷ luật, kỷ cương và phòng, chống tham nhũng",
        "Tiếp tục hoàn thiện và thực hiện việc áp dụng vị trí việc làm trong quản lý cán bộ, "
        "gắn với tinh giản biên chế, sắp xếp, cơ cấu lại, nâng cao chất lượng đội ngũ cán bộ, "
        "công chức, viên chức trong toàn ngành tài nguyên và môi trường; tăng cường kỷ luật, "
        "kỷ cương hành chính và trách nhiệm thực thi công vụ của cán bộ, công chức, viên "
        "chức. Tiếp tục đẩy mạnh công tác phòng, chống tham nhũng, tiêu cực; bảo vệ cán bộ "
        "dám nghĩ, dám làm, dám chịu trách nhiệm.",
    ),
    (
        "Hạ tầng số, nền tảng số và cơ sở dữ liệu tài nguyên và môi trường",
        "Tiếp tục hoàn thiện, vận hành hiệu quả hạ tầng số, các nền tảng số dùng chung, hệ "
        "thống thông tin dùng chung phục vụ lãnh đạo, quản lý, chuyên môn nghiệp vụ trên môi "
        "trường điện tử, thúc đẩy phát triển kinh tế số, kinh tế xanh. Tiếp tục phát triển hệ "
        "thống thông tin dữ liệu tài nguyên và môi trường, trọng tâm là cơ sở dữ liệu quốc gia "
        "về đất đai, kết nối, liên thông với các hệ thống thông tin, cơ sở dữ liệu của các bộ, "
        "ngành, địa phương.",
    ),
    (
        "Đổi mới chỉ đạo, điều hành; chủ động, linh hoạt, sáng tạo",
        "Tiếp tục đổi mới công tác chỉ đạo, điều hành; chủ động nắm bắt tình hình, nhận diện "
        "khó khăn, thách thức, đổi mới tư duy và phương thức thực hiện, bám sát thực tiễn, "
        "chủ động, linh hoạt, sáng tạo cụ thể hóa thành chương trình hành động, kế hoạch cụ "
        "thể để triển khai đồng bộ, quyết liệt các nhiệm vụ, giải pháp trên tất cả các lĩnh "
        "vực, xử lý kịp thời các nhiệm vụ lớn, cấp bách và các vấn đề quan trọng, đột xuất.",
    ),
    (
        "Hưởng ứng, phát động phong trào thi đua và làm tốt công tác khen thưởng",
        "Kịp thời hưởng ứng các phong trào thi đua yêu nước do Thủ tướng Chính phủ, Hội đồng "
        "Thi đua - Khen thưởng Trung ương, Bộ trưởng Bộ Tài nguyên và Môi trường và các cơ "
        "quan có thẩm quyền phát động; chủ động phát động các phong trào thi đua gắn với thực "
        "hiện nhiệm vụ chính trị được giao, nhất là ưu tiên xây dựng, phát động các phong trào "
        "thi đua ngắn hạn, theo chuyên đề nhằm phát huy tinh thần trách nhiệm, đổi mới, sáng "
        "tạo trong tham mưu, đề xuất, nâng cao hiệu quả, chất lượng công tác chuyên môn. Thực "
        "hiện tốt công tác khen thưởng, bảo đảm dân chủ, công khai, kịp thời, đúng nguyên "
        "tắc, trình tự, thủ tục.",
    ),
]

S, Y, B, P = CriterionKind.SCORED, CriterionKind.YES_NO, CriterionKind.BONUS, CriterionKind.PENALTY

# Criteria rows: (code, kind, points, content number or None, evidence required, text,
# guidance). A section's points are the sum of its leaves; sections have points None.
COLLECTIVE = [
    ("1", S, None, 5, False, "Công tác thi đua, khen thưởng", ""),
    (
        "1.1",
        S,
        8,
        5,
        True,
        "Có kế hoạch hưởng ứng, phát động phong trào thi đua thiết thực, hiệu quả, gắn với "
        "nhiệm vụ chính trị của cơ quan, đơn vị",
        "Đính kèm kế hoạch hoặc văn bản phát động phong trào thi đua năm 2024 của đơn vị.",
    ),
    (
        "1.2",
        S,
        6,
        5,
        False,
        "Tổ chức sơ kết, tổng kết phong trào thi đua; xây dựng, nhân rộng mô hình tiên tiến, "
        "điển hình",
        "Nêu các mô hình, điển hình tiên tiến được xây dựng, nhân rộng trong năm.",
    ),
    (
        "1.3",
        S,
        4,
        5,
        False,
        "Thực hiện công tác khen thưởng kịp thời, đúng nguyên tắc, trình tự, thủ tục, bảo đảm "
        "dân chủ, công khai",
        "",
    ),
    (
        "1.4",
        Y,
        2,
        5,
        False,
        "Gửi báo cáo sơ kết, tổng kết công tác thi đua, khen thưởng đúng thời hạn",
        "Chọn 'Có' nếu mọi báo cáo trong kỳ được gửi đúng hạn.",
    ),
    ("2", S, None, None, False, "Thực hiện nhiệm vụ chuyên môn", ""),
    (
        "2.1",
        Y,
        5,
        4,
        True,
        "Có chương trình, kế hoạch công tác năm được xây dựng và phê duyệt theo quy định",
        "Đính kèm quyết định phê duyệt chương trình, kế hoạch công tác năm 2024.",
    ),
    (
        "2.2",
        S,
        15,
        4,
        True,
        "Hoàn thành các đề án, nhiệm vụ theo chương trình, kế hoạch công tác năm, bảo đảm "
        "chất lượng, tiến độ, hiệu quả",
        "Đính kèm bảng tổng hợp các đề án, nhiệm vụ được giao và kết quả thực hiện (đã hoàn "
        "thành, đúng hạn, chậm hạn).",
    ),
    (
        "2.3",
        S,
        10,
        1,
        True,
        "Hoàn thành 100% nhiệm vụ được giao trong Chương trình xây dựng văn bản quy phạm "
        "pháp luật của cơ quan, đơn vị",
        "Đính kèm danh mục văn bản được giao và tình trạng trình, ban hành. Đơn vị không được "
        "giao nhiệm vụ xây dựng văn bản quy phạm pháp luật tự chấm điểm tối đa.",
    ),
    (
        "2.4",
        S,
        10,
        3,
        False,
        "Đẩy mạnh cải cách hành chính, thủ tục hành chính; ứng dụng công nghệ thông tin, "
        "chuyển đổi số trong hoạt động của cơ quan, đơn vị",
        "Nêu tỷ lệ hồ sơ giải quyết đúng hạn, dịch vụ công trực tuyến, văn bản điện tử.",
    ),
    ("3", S, None, 2, False, "Kỷ luật, kỷ cương hành chính và văn hóa công vụ", ""),
    (
        "3.1",
        S,
        8,
        2,
        False,
        "Thực hiện nghiêm kỷ luật, kỷ cương hành chính; không có cá nhân bị kỷ luật từ hình "
        "thức cảnh cáo trở lên",
        "",
    ),
    (
        "3.2",
        S,
        6,
        2,
        False,
        "Thực hiện nghiêm văn hóa công sở, đạo đức trong giao tiếp, hội họp và thi hành công vụ",
        "",
    ),
    (
        "3.3",
        S,
        6,
        2,
        False,
        "Xây dựng, nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức theo đề án vị trí "
        "việc làm",
        "",
    ),
    ("4", S, None, None, False, "Đoàn kết nội bộ, chấp hành chủ trương, chính sách", ""),
    (
        "4.1",
        Y,
        5,
        None,
        False,
        "Nội bộ đoàn kết; không có đơn thư khiếu nại, tố cáo vượt cấp có căn cứ",
        "",
    ),
    (
        "4.2",
        S,
        7,
        None,
        False,
        "Thực hiện tốt chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; "
        "phòng, chống tham nhũng, tiêu cực, thực hành tiết kiệm, chống lãng phí",
        "",
    ),
    (
        "4.3",
        S,
        4,
        None,
        False,
        "Chăm lo, cải thiện đời sống vật chất, tinh thần của người lao động",
        "",
    ),
    (
        "4.4",
        S,
        4,
        6,
        False,
        "Tổ chức, tham gia các phong trào văn hóa, văn nghệ, thể dục, thể thao",
        "",
    ),
    ("5", B, None, None, False, "Điểm thưởng (tối đa 10 điểm)", ""),
    (
        "5.1",
        B,
        5,
        5,
        True,
        "Có sáng kiến, mô hình mới, cách làm hay được cấp có thẩm quyền công nhận",
        "Đính kèm quyết định hoặc giấy chứng nhận công nhận sáng kiến, mô hình.",
    ),
    (
        "5.2",
        B,
        3,
        4,
        True,
        "Hoàn thành xuất sắc nhiệm vụ đột xuất do cấp có thẩm quyền giao, được ghi nhận bằng "
        "văn bản",
        "Đính kèm văn bản giao nhiệm vụ và văn bản ghi nhận kết quả.",
    ),
    (
        "5.3",
        B,
        2,
        None,
        False,
        "Chủ trì tổ chức thành công hội nghị, hội thảo, sự kiện cấp Bộ, cấp quốc gia hoặc quốc tế",
        "",
    ),
    ("6", P, None, None, False, "Điểm trừ", ""),
    (
        "6.1",
        P,
        5,
        None,
        False,
        "Gửi báo cáo, hồ sơ thi đua, khen thưởng chậm so với thời hạn",
        "Trừ 1 điểm cho mỗi lần chậm, tối đa 5 điểm.",
    ),
    (
        "6.2",
        P,
        5,
        None,
        False,
        "Có cá nhân bị kỷ luật từ hình thức khiển trách trở lên trong năm",
        "Trừ 2 điểm cho mỗi trường hợp bị khiển trách, 5 điểm nếu từ cảnh cáo trở lên.",
    ),
    (
        "6.3",
        P,
        5,
        None,
        False,
        "Bị cấp có thẩm quyền phê bình, nhắc nhở bằng văn bản do chậm thực hiện nhiệm vụ",
        "Trừ 1 điểm cho mỗi văn bản, tối đa 5 điểm.",
    ),
]

# Individual and leader tables share their wording; points differ (code: points).
_PERSONAL = [
    ("1", S, "Hoàn thành nhiệm vụ được giao", ""),
    (
        "1.1",
        S,
        "Hoàn thành tốt nhiệm vụ được giao, bảo đảm chất lượng, tiến độ, hiệu quả",
        "",
    ),
    (
        "1.2",
        Y,
        "Kết quả đánh giá, xếp loại chất lượng năm 2024 đạt từ mức 'Hoàn thành tốt nhiệm vụ' "
        "trở lên",
        "",
    ),
    ("2", S, "Sáng kiến, đề tài và giải pháp đổi mới", ""),
    (
        "2.1",
        S,
        "Có sáng kiến cải tiến kỹ thuật hoặc đề tài nghiên cứu khoa học, công nghệ được công "
        "nhận, nghiệm thu",
        "Đính kèm quyết định công nhận sáng kiến hoặc biên bản nghiệm thu đề tài.",
    ),
    (
        "2.2",
        S,
        "Có giải pháp đổi mới, sáng tạo, linh hoạt nâng cao chất lượng, hiệu quả công việc",
        "",
    ),
    ("3", S, "Học tập, nâng cao trình độ", ""),
    (
        "3.1",
        S,
        "Tích cực học tập nâng cao trình độ chuyên môn, nghiệp vụ, kỹ năng",
        "Nêu các khóa đào tạo, bồi dưỡng đã tham gia trong năm.",
    ),
    ("4", S, "Chấp hành kỷ luật, kỷ cương", ""),
    (
        "4.1",
        Y,
        "Chấp hành tốt chủ trương, chính sách của Đảng, pháp luật của Nhà nước",
        "",
    ),
    (
        "4.2",
        S,
        "Chấp hành kỷ luật, kỷ cương hành chính, quy định về văn hóa công sở, nội quy, quy chế "
        "của cơ quan, đơn vị",
        "",
    ),
    ("4.3", S, "Có tinh thần đoàn kết, hợp tác, giúp đỡ đồng nghiệp", ""),
    ("5", S, "Tham gia phong trào thi đua", ""),
    (
        "5.1",
        S,
        "Tích cực hưởng ứng các phong trào thi đua, nhất là các phong trào thi đua gắn với "
        "nhiệm vụ chính trị của cơ quan, đơn vị",
        "",
    ),
    ("5.2", S, "Tham gia các phong trào văn hóa, văn nghệ, thể dục, thể thao", ""),
]
_LEADER_EXTRA = [
    ("6", S, "Kết quả lãnh đạo tập thể", ""),
    (
        "6.1",
        Y,
        "Tập thể do cá nhân trực tiếp lãnh đạo đạt danh hiệu 'Tập thể lao động xuất sắc'",
        "Đính kèm quyết định tặng danh hiệu của đơn vị (khi có kết quả xét).",
    ),
    (
        "6.2",
        S,
        "Lãnh đạo, chỉ đạo cơ quan, đơn vị hoàn thành xuất sắc chương trình, kế hoạch công tác năm",
        "",
    ),
]
_PERSONAL_BONUS = [
    (
        "Có sáng kiến hoặc đề tài được công nhận có phạm vi ảnh hưởng từ cấp Bộ trở lên",
        5,
        True,
        "Đính kèm quyết định công nhận phạm vi ảnh hưởng.",
    ),
    ("Được cấp có thẩm quyền biểu dương, khen thưởng đột xuất trong năm", 5, True, ""),
]
_PERSONAL_PENALTY = [
    ("Bị kỷ luật từ hình thức khiển trách trở lên trong năm", 10, False, ""),
    (
        "Vi phạm quy định về thời gian làm việc, văn hóa công sở bị nhắc nhở bằng văn bản",
        5,
        False,
        "Trừ 1 điểm cho mỗi lần bị nhắc nhở, tối đa 5 điểm.",
    ),
]
INDIVIDUAL_POINTS = {
    "1.1": 25,
    "1.2": 15,
    "2.1": 12,
    "2.2": 8,
    "3.1": 10,
    "4.1": 5,
    "4.2": 10,
    "4.3": 5,
    "5.1": 6,
    "5.2": 4,
}
LEADER_POINTS = {
    "1.1": 20,
    "1.2": 10,
    "2.1": 10,
    "2.2": 5,
    "3.1": 5,
    "4.1": 5,
    "4.2": 6,
    "4.3": 4,
    "5.1": 6,
    "5.2": 4,
    "6.1": 15,
    "6.2": 10,
}
EVIDENCE_REQUIRED = {"2.1", "6.1"}


def _personal_rows(base: list, points: dict[str, int]) -> list[tuple]:
    rows = [
        (code, kind, points.get(code), None, code in EVIDENCE_REQUIRED, text, guidance)
        for code, kind, text, guidance in base
    ]
    sections = sum(1 for row in base if "." not in row[0])
    for number, kind, title, extra in (
        (sections + 1, B, "Điểm thưởng (tối đa 10 điểm)", _PERSONAL_BONUS),
        (sections + 2, P, "Điểm trừ", _PERSONAL_PENALTY),
    ):
        rows.append((str(number), kind, None, None, False, title, ""))
        for leaf, (text, value, evidence, guidance) in enumerate(extra, start=1):
            rows.append((f"{number}.{leaf}", kind, value, None, evidence, text, guidance))
    return rows


CRITERIA = {
    Subject.COLLECTIVE: COLLECTIVE,
    Subject.INDIVIDUAL: _personal_rows(_PERSONAL, INDIVIDUAL_POINTS),
    Subject.LEADER: _personal_rows(_PERSONAL + _LEADER_EXTRA, LEADER_POINTS),
}

PERIODS = [
    (PeriodKind.SIX_MONTHLY, dt.date(2024, 6, 1), dt.date(2024, 7, 5), dt.date(2024, 7, 20)),
    (PeriodKind.YEAR_END, dt.date(2024, 11, 15), dt.date(2024, 12, 10), dt.date(2024, 12, 31)),
]


def load_movement(ministry: Unit, participants: list[Unit]) -> tuple[Campaign, dict[str, int]]:
    """Create or update the 2024 campaign and everything in it; returns the campaign
    and how many rows of each kind were created."""
    values = dict(CAMPAIGN)
    lookup = {"organizer": ministry, "year": values.pop("year"), "name": values.pop("name")}
    found = Campaign.objects.filter(**lookup).first()
    campaign, created = sync_row(Campaign, found, lookup, values)
    if campaign.status == CampaignStatus.DRAFT:
        lifecycle.bring_to(campaign, CampaignStatus.LAUNCHED, now=LAUNCHED_AT)
    campaign.participants.set(participants)
    counts = {"campaigns": int(created)}
    contents, counts["contents"] = _load_numbered(Content, campaign, CONTENTS)
    _, counts["tasks"] = _load_numbered(Task, campaign, TASKS)
    counts["criteria"] = sum(
        _load_criteria(campaign, subject, rows, contents) for subject, rows in CRITERIA.items()
    )
    counts["periods"] = _load_periods(campaign)
    return campaign, counts


def _load_numbered(model, campaign: Campaign, items: list[tuple[str, str]]) -> tuple[dict, int]:
    existing = index(model.objects.filter(campaign=campaign), lambda row: row.number)
    rows, created = {}, 0
    for number, (title, text) in enumerate(items, start=1):
        rows[number], was_created = sync_row(
            model,
            existing.get(number),
            {"campaign": campaign, "number": number},
            {"title": title, "text": text},
        )
        created += was_created
    return rows, created


def _load_criteria(campaign: Campaign, subject: str, rows: list, contents: dict) -> int:
    """One scoring table, in pre-order; a section's points are its leaves' sum."""
    existing = index(Criterion.objects.filter(campaign=campaign, subject=subject), lambda c: c.code)
    saved, created = {}, 0
    for order, (code, kind, points, content, evidence, text, guidance) in enumerate(rows, 1):
        if points is None:
            points = sum(row[2] for row in rows if row[0].startswith(f"{code}."))
        values = {
            "parent": saved.get(code.rpartition(".")[0]),
            "content": contents[content] if content else None,
            "text": text,
            "guidance": guidance,
            "kind": kind,
            "max_points": Decimal(points),
            "evidence_required": evidence,
            "order": order * 10,
        }
        saved[code], was_created = sync_row(
            Criterion,
            existing.get(code),
            {"campaign": campaign, "subject": subject, "code": code},
            values,
        )
        created += was_created
    return created


def _load_periods(campaign: Campaign) -> int:
    existing = index(Period.objects.filter(campaign=campaign), lambda p: p.kind)
    created = 0
    for kind, opens_on, due_on, closes_on in PERIODS:
        _, was_created = sync_row(
            Period,
            existing.get(kind),
            {"campaign": campaign, "kind": kind},
            {"opens_on": opens_on, "due_on": due_on, "closes_on": closes_on},
        )
        created += was_created
    return created
