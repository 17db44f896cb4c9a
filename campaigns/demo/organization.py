"""The demo ministry as of 2024: the Ministry of Natural Resources and Environment,
the units directly under it (Decree 68/2022/NĐ-CP), the 63 provincial departments, and
the 2024 emulation blocks and clusters (domain.md §3.3 and §4)."""

from dataclasses import dataclass

from units.enums import GroupKind, UnitKind
from units.models import EmulationGroup, GroupMembership, Unit

from .sync import index, sync_row

YEAR = 2024
MINISTRY_CODE = "btnmt"


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    short_name: str
    kind: str
    has_legal_personality: bool = True
    parent: str = MINISTRY_CODE


MINISTRY = UnitSpec(
    MINISTRY_CODE, "Bộ Tài nguyên và Môi trường", "Bộ TN&MT", UnitKind.MINISTRY, True, ""
)

K = UnitKind
# Units directly under the ministry, in the order of the ministry's lists.
DIRECT_UNITS = [
    UnitSpec("vu-ke-hoach-tai-chinh", "Vụ Kế hoạch - Tài chính", "Vụ KHTC", K.DEPARTMENT, False),
    UnitSpec("vu-khoa-hoc-cong-nghe", "Vụ Khoa học và Công nghệ", "Vụ KHCN", K.DEPARTMENT, False),
    UnitSpec("vu-hop-tac-quoc-te", "Vụ Hợp tác quốc tế", "Vụ HTQT", K.DEPARTMENT, False),
    UnitSpec("vu-phap-che", "Vụ Pháp chế", "Vụ PC", K.DEPARTMENT, False),
    UnitSpec("vu-to-chuc-can-bo", "Vụ Tổ chức cán bộ", "Vụ TCCB", K.DEPARTMENT, False),
    UnitSpec("van-phong-bo", "Văn phòng Bộ", "VPB", K.OFFICE, False),
    UnitSpec("thanh-tra-bo", "Thanh tra Bộ", "Thanh tra Bộ", K.INSPECTORATE, False),
    UnitSpec("tong-cuc-kttv", "Tổng cục Khí tượng Thủy văn", "TCKTTV", K.GENERAL_DEPARTMENT),
    UnitSpec("cuc-bien-doi-khi-hau", "Cục Biến đổi khí hậu", "Cục BĐKH", K.ADMINISTRATION),
    UnitSpec(
        "cuc-kiem-soat-o-nhiem",
        "Cục Kiểm soát ô nhiễm môi trường",
        "Cục KSONMT",
        K.ADMINISTRATION,
    ),
    UnitSpec(
        "cuc-bao-ton-thien-nhien",
        "Cục Bảo tồn thiên nhiên và Đa dạng sinh học",
        "Cục BTTN&ĐDSH",
        K.ADMINISTRATION,
    ),
    UnitSpec(
        "cuc-quan-ly-tai-nguyen-nuoc",
        "Cục Quản lý tài nguyên nước",
        "Cục QLTNN",
        K.ADMINISTRATION,
    ),
    UnitSpec("cuc-dia-chat", "Cục Địa chất Việt Nam", "Cục ĐCVN", K.ADMINISTRATION),
    UnitSpec("cuc-khoang-san", "Cục Khoáng sản Việt Nam", "Cục KSVN", K.ADMINISTRATION),
    UnitSpec(
        "cuc-dang-ky-du-lieu-dat-dai",
        "Cục Đăng ký và Dữ liệu thông tin đất đai",
        "Cục ĐK&DLTTĐĐ",
        K.ADMINISTRATION,
    ),
    UnitSpec(
        "cuc-quy-hoach-tai-nguyen-dat",
        "Cục Quy hoạch và Phát triển tài nguyên đất",
        "Cục QH&PTTNĐ",
        K.ADMINISTRATION,
    ),
    UnitSpec(
        "cuc-do-dac-ban-do",
        "Cục Đo đạc, Bản đồ và Thông tin địa lý Việt Nam",
        "Cục ĐĐBĐ&TTĐLVN",
        K.ADMINISTRATION,
    ),
    UnitSpec("cuc-vien-tham", "Cục Viễn thám quốc gia", "Cục VTQG", K.ADMINISTRATION),
    UnitSpec(
        "cuc-chuyen-doi-so",
        "Cục Chuyển đổi số và Thông tin dữ liệu tài nguyên môi trường",
        "Cục CĐS&TTDL",
        K.ADMINISTRATION,
    ),
    UnitSpec("cuc-bien-hai-dao", "Cục Biển và Hải đảo Việt Nam", "Cục BHĐVN", K.ADMINISTRATION),
    UnitSpec(
        "vp-uy-ban-song-me-cong",
        "Văn phòng Thường trực Ủy ban sông Mê Công Việt Nam",
        "VP UBSMCVN",
        K.OFFICE,
    ),
    UnitSpec(
        "vp-hoi-dong-tru-luong-khoang-san",
        "Văn phòng Hội đồng đánh giá trữ lượng khoáng sản quốc gia",
        "VP HĐĐGTLKSQG",
        K.OFFICE,
    ),
    UnitSpec(
        "vien-chien-luoc-chinh-sach",
        "Viện Chiến lược, Chính sách tài nguyên và môi trường",
        "Viện CLCS TN&MT",
        K.INSTITUTE,
    ),
    UnitSpec(
        "vien-khoa-hoc-kttv-bdkh",
        "Viện Khoa học Khí tượng Thủy văn và Biến đổi khí hậu",
        "Viện KH KTTV&BĐKH",
        K.INSTITUTE,
    ),
    UnitSpec(
        "vien-khoa-hoc-dia-chat-khoang-san",
        "Viện Khoa học Địa chất và Khoáng sản",
        "Viện KHĐC&KS",
        K.INSTITUTE,
    ),
    UnitSpec(
        "vien-khoa-hoc-do-dac-ban-do",
        "Viện Khoa học Đo đạc và Bản đồ",
        "Viện KHĐĐ&BĐ",
        K.INSTITUTE,
    ),
    UnitSpec(
        "vien-khoa-hoc-moi-truong-bien",
        "Viện Khoa học môi trường biển và hải đảo",
        "Viện KHMTB&HĐ",
        K.INSTITUTE,
    ),
    UnitSpec(
        "truong-dh-tnmt-ha-noi",
        "Trường Đại học Tài nguyên và Môi trường Hà Nội",
        "Trường ĐH TN&MT Hà Nội",
        K.SCHOOL,
    ),
    UnitSpec(
        "truong-dh-tnmt-tphcm",
        "Trường Đại học Tài nguyên và Môi trường Thành phố Hồ Chí Minh",
        "Trường ĐH TN&MT TP. HCM",
        K.SCHOOL,
    ),
    UnitSpec(
        "truong-dao-tao-can-bo",
        "Trường Đào tạo, bồi dưỡng cán bộ tài nguyên và môi trường",
        "Trường ĐTBDCB TN&MT",
        K.SCHOOL,
    ),
    UnitSpec("bao-tnmt", "Báo Tài nguyên và Môi trường", "Báo TN&MT", K.PRESS),
    UnitSpec("tap-chi-tnmt", "Tạp chí Tài nguyên và Môi trường", "Tạp chí TN&MT", K.PRESS),
    UnitSpec(
        "nxb-tnmt-ban-do",
        "Nhà xuất bản Tài nguyên - Môi trường và Bản đồ Việt Nam",
        "NXB TN-MT&BĐVN",
        K.PRESS,
    ),
    UnitSpec(
        "trung-tam-truyen-thong",
        "Trung tâm Truyền thông tài nguyên và môi trường",
        "TT Truyền thông TN&MT",
        K.CENTRE,
    ),
    UnitSpec(
        "trung-tam-quy-hoach-tai-nguyen-nuoc",
        "Trung tâm Quy hoạch và Điều tra tài nguyên nước quốc gia",
        "TT QH&ĐTTNNQG",
        K.CENTRE,
    ),
    UnitSpec(
        "quy-bao-ve-moi-truong",
        "Quỹ Bảo vệ môi trường Việt Nam",
        "Quỹ BVMTVN",
        K.PUBLIC_SERVICE,
    ),
    UnitSpec(
        "tong-cong-ty-tnmt",
        "Tổng công ty Tài nguyên và Môi trường Việt Nam",
        "Tổng công ty TN&MT VN",
        K.ENTERPRISE,
    ),
    UnitSpec(
        "cong-ty-tnmt-mien-nam",
        "Công ty TNHH Một thành viên Tài nguyên và Môi trường miền Nam",
        "Công ty TN&MT miền Nam",
        K.ENTERPRISE,
    ),
]

# Units of the general department: they emulate inside it, not in a ministry block.
SUB_UNITS = [
    UnitSpec(
        "tckttv-van-phong",
        "Văn phòng Tổng cục Khí tượng Thủy văn",
        "VP Tổng cục",
        K.SUB_UNIT,
        False,
        "tong-cuc-kttv",
    ),
    UnitSpec(
        "tckttv-vu-quan-ly-du-bao",
        "Vụ Quản lý dự báo khí tượng thủy văn",
        "Vụ QLDB",
        K.SUB_UNIT,
        False,
        "tong-cuc-kttv",
    ),
    UnitSpec(
        "tckttv-trung-tam-du-bao",
        "Trung tâm Dự báo khí tượng thủy văn quốc gia",
        "TT DBKTTVQG",
        K.CENTRE,
        True,
        "tong-cuc-kttv",
    ),
    UnitSpec(
        "tckttv-trung-tam-quan-trac",
        "Trung tâm Quan trắc khí tượng thủy văn",
        "TT QTKTTV",
        K.CENTRE,
        True,
        "tong-cuc-kttv",
    ),
    UnitSpec(
        "tckttv-trung-tam-du-lieu",
        "Trung tâm Thông tin và Dữ liệu khí tượng thủy văn",
        "TT TT&DLKTTV",
        K.CENTRE,
        True,
        "tong-cuc-kttv",
    ),
]

# The 63 provinces and centrally-run cities of 2024: (official code, slug, name, is a
# centrally-run city). The official code orders the list north to south.
PROVINCES = [
    (1, "ha-noi", "Hà Nội", True),
    (2, "ha-giang", "Hà Giang", False),
    (4, "cao-bang", "Cao Bằng", False),
    (6, "bac-kan", "Bắc Kạn", False),
    (8, "tuyen-quang", "Tuyên Quang", False),
    (10, "lao-cai", "Lào Cai", False),
    (11, "dien-bien", "Điện Biên", False),
    (12, "lai-chau", "Lai Châu", False),
    (14, "son-la", "Sơn La", False),
    (15, "yen-bai", "Yên Bái", False),
    (17, "hoa-binh", "Hòa Bình", False),
    (19, "thai-nguyen", "Thái Nguyên", False),
    (20, "lang-son", "Lạng Sơn", False),
    (22, "quang-ninh", "Quảng Ninh", False),
    (24, "bac-giang", "Bắc Giang", False),
    (25, "phu-tho", "Phú Thọ", False),
    (26, "vinh-phuc", "Vĩnh Phúc", False),
    (27, "bac-ninh", "Bắc Ninh", False),
    (30, "hai-duong", "Hải Dương", False),
    (31, "hai-phong", "Hải Phòng", True),
    (33, "hung-yen", "Hưng Yên", False),
    (34, "thai-binh", "Thái Bình", False),
    (35, "ha-nam", "Hà Nam", False),
    (36, "nam-dinh", "Nam Định", False),
    (37, "ninh-binh", "Ninh Bình", False),
    (38, "thanh-hoa", "Thanh Hóa", False),
    (40, "nghe-an", "Nghệ An", False),
    (42, "ha-tinh", "Hà Tĩnh", False),
    (44, "quang-binh", "Quảng Bình", False),
    (45, "quang-tri", "Quảng Trị", False),
    (46, "thua-thien-hue", "Thừa Thiên Huế", False),
    (48, "da-nang", "Đà Nẵng", True),
    (49, "quang-nam", "Quảng Nam", False),
    (51, "quang-ngai", "Quảng Ngãi", False),
    (52, "binh-dinh", "Bình Định", False),
    (54, "phu-yen", "Phú Yên", False),
    (56, "khanh-hoa", "Khánh Hòa", False),
    (58, "ninh-thuan", "Ninh Thuận", False),
    (60, "binh-thuan", "Bình Thuận", False),
    (62, "kon-tum", "Kon Tum", False),
    (64, "gia-lai", "Gia Lai", False),
    (66, "dak-lak", "Đắk Lắk", False),
    (67, "dak-nong", "Đắk Nông", False),
    (68, "lam-dong", "Lâm Đồng", False),
    (70, "binh-phuoc", "Bình Phước", False),
    (72, "tay-ninh", "Tây Ninh", False),
    (74, "binh-duong", "Bình Dương", False),
    (75, "dong-nai", "Đồng Nai", False),
    (77, "ba-ria-vung-tau", "Bà Rịa - Vũng Tàu", False),
    (79, "tp-ho-chi-minh", "Hồ Chí Minh", True),
    (80, "long-an", "Long An", False),
    (82, "tien-giang", "Tiền Giang", False),
    (83, "ben-tre", "Bến Tre", False),
    (84, "tra-vinh", "Trà Vinh", False),
    (86, "vinh-long", "Vĩnh Long", False),
    (87, "dong-thap", "Đồng Tháp", False),
    (89, "an-giang", "An Giang", False),
    (91, "kien-giang", "Kiên Giang", False),
    (92, "can-tho", "Cần Thơ", True),
    (93, "hau-giang", "Hậu Giang", False),
    (94, "soc-trang", "Sóc Trăng", False),
    (95, "bac-lieu", "Bạc Liêu", False),
    (96, "ca-mau", "Cà Mau", False),
]


def provincial_department_code(slug: str) -> str:
    return f"stnmt-{slug}"


def _provincial_department(number: int, slug: str, name: str, is_city: bool) -> dict:
    if slug == "tp-ho-chi-minh":
        full, province = "Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh"
    else:
        full, province = f"{'thành phố' if is_city else 'tỉnh'} {name}", name
    return {
        "code": provincial_department_code(slug),
        "name": f"Sở Tài nguyên và Môi trường {full}",
        "short_name": f"Sở TN&MT {province}",
        "kind": UnitKind.PROVINCIAL_DEPARTMENT,
        "province": province,
        "has_legal_personality": True,
        "order": 1000 + number,
        "parent": None,
    }


@dataclass(frozen=True)
class GroupSpec:
    kind: str
    number: int
    members: tuple[str, ...]
    head: str
    deputy: str


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _cluster(number: int, slugs: str, head: str, deputy: str) -> GroupSpec:
    members = tuple(provincial_department_code(slug) for slug in slugs.split())
    return GroupSpec(
        GroupKind.CLUSTER,
        number,
        members,
        provincial_department_code(head),
        provincial_department_code(deputy),
    )


# 2024 blocks; heads and deputies follow the 2022 decision where the unit still exists
# (domain.md §4): the former general departments of land and of seas form Block III.
BLOCKS = [
    GroupSpec(
        GroupKind.BLOCK,
        1,
        (
            "vu-ke-hoach-tai-chinh",
            "vu-khoa-hoc-cong-nghe",
            "vu-hop-tac-quoc-te",
            "vu-phap-che",
            "vu-to-chuc-can-bo",
        ),
        "vu-phap-che",
        "vu-to-chuc-can-bo",
    ),
    GroupSpec(
        GroupKind.BLOCK,
        2,
        (
            "van-phong-bo",
            "thanh-tra-bo",
            "vp-uy-ban-song-me-cong",
            "vp-hoi-dong-tru-luong-khoang-san",
        ),
        "vp-uy-ban-song-me-cong",
        "vp-hoi-dong-tru-luong-khoang-san",
    ),
    GroupSpec(
        GroupKind.BLOCK,
        3,
        (
            "tong-cuc-kttv",
            "cuc-dang-ky-du-lieu-dat-dai",
            "cuc-quy-hoach-tai-nguyen-dat",
            "cuc-bien-hai-dao",
        ),
        "tong-cuc-kttv",
        "cuc-dang-ky-du-lieu-dat-dai",
    ),
    GroupSpec(
        GroupKind.BLOCK,
        4,
        (
            "cuc-bien-doi-khi-hau",
            "cuc-kiem-soat-o-nhiem",
            "cuc-bao-ton-thien-nhien",
            "cuc-quan-ly-tai-nguyen-nuoc",
            "cuc-dia-chat",
            "cuc-khoang-san",
            "cuc-do-dac-ban-do",
            "cuc-vien-tham",
            "cuc-chuyen-doi-so",
        ),
        "cuc-quan-ly-tai-nguyen-nuoc",
        "cuc-do-dac-ban-do",
    ),
    GroupSpec(
        GroupKind.BLOCK,
        5,
        (
            "vien-chien-luoc-chinh-sach",
            "vien-khoa-hoc-kttv-bdkh",
            "vien-khoa-hoc-dia-chat-khoang-san",
            "vien-khoa-hoc-do-dac-ban-do",
            "vien-khoa-hoc-moi-truong-bien",
            "truong-dh-tnmt-ha-noi",
            "truong-dh-tnmt-tphcm",
            "truong-dao-tao-can-bo",
        ),
        "vien-chien-luoc-chinh-sach",
        "vien-khoa-hoc-do-dac-ban-do",
    ),
    GroupSpec(
        GroupKind.BLOCK,
        6,
        (
            "tong-cong-ty-tnmt",
            "cong-ty-tnmt-mien-nam",
            "bao-tnmt",
            "tap-chi-tnmt",
            "nxb-tnmt-ban-do",
        ),
        "cong-ty-tnmt-mien-nam",
        "tong-cong-ty-tnmt",
    ),
    GroupSpec(
        GroupKind.BLOCK,
        7,
        ("trung-tam-truyen-thong", "trung-tam-quy-hoach-tai-nguyen-nuoc", "quy-bao-ve-moi-truong"),
        "trung-tam-quy-hoach-tai-nguyen-nuoc",
        "quy-bao-ve-moi-truong",
    ),
]

# 2024 clusters of provincial departments, by region (domain.md §4: I, IV, VI, VIII).
CLUSTERS = [
    _cluster(
        1,
        "ha-noi hai-phong vinh-phuc bac-ninh hai-duong hung-yen thai-binh ha-nam nam-dinh "
        "ninh-binh",
        "bac-ninh",
        "ha-nam",
    ),
    _cluster(
        2,
        "ha-giang cao-bang bac-kan tuyen-quang thai-nguyen lang-son quang-ninh bac-giang phu-tho",
        "quang-ninh",
        "thai-nguyen",
    ),
    _cluster(3, "lao-cai dien-bien lai-chau son-la yen-bai hoa-binh", "lao-cai", "son-la"),
    _cluster(
        4, "thanh-hoa nghe-an ha-tinh quang-binh quang-tri thua-thien-hue", "nghe-an", "ha-tinh"
    ),
    _cluster(
        5,
        "da-nang quang-nam quang-ngai binh-dinh phu-yen khanh-hoa ninh-thuan binh-thuan",
        "da-nang",
        "khanh-hoa",
    ),
    _cluster(6, "kon-tum gia-lai dak-lak dak-nong lam-dong", "dak-lak", "lam-dong"),
    _cluster(
        7,
        "tp-ho-chi-minh binh-phuoc tay-ninh binh-duong dong-nai ba-ria-vung-tau",
        "binh-duong",
        "dong-nai",
    ),
    _cluster(8, "long-an tien-giang ben-tre tra-vinh vinh-long dong-thap", "long-an", "tien-giang"),
    _cluster(
        9, "can-tho an-giang kien-giang hau-giang soc-trang bac-lieu ca-mau", "can-tho", "ca-mau"
    ),
]


def group_code(spec: GroupSpec) -> str:
    prefix = "KHOI" if spec.kind == GroupKind.BLOCK else "CUM"
    return f"{prefix}-{ROMAN[spec.number - 1]}"


def group_name(spec: GroupSpec) -> str:
    word = "Khối" if spec.kind == GroupKind.BLOCK else "Cụm"
    return f"{word} thi đua số {ROMAN[spec.number - 1]}"


def unit_rows() -> list[dict]:
    """Every demo unit as field values, parents before children."""
    rows = [_unit_row(MINISTRY, 0)]
    for position, spec in enumerate(DIRECT_UNITS, start=1):
        rows.append(_unit_row(spec, position * 10))
        children = [child for child in SUB_UNITS if child.parent == spec.code]
        for offset, child in enumerate(children, start=1):
            rows.append(_unit_row(child, position * 10 + offset))
    rows.extend(_provincial_department(*province) for province in PROVINCES)
    return rows


def _unit_row(spec: UnitSpec, order: int) -> dict:
    return {
        "code": spec.code,
        "name": spec.name,
        "short_name": spec.short_name,
        "kind": spec.kind,
        "province": "",
        "has_legal_personality": spec.has_legal_personality,
        "order": order,
        "parent": spec.parent or None,
    }


def participant_codes() -> list[str]:
    """Units that take part in the ministry's movement: those directly under it and
    the provincial departments (not the ministry, not sub-units)."""
    return [spec.code for spec in DIRECT_UNITS] + [
        provincial_department_code(slug) for _, slug, _, _ in PROVINCES
    ]


def load_units() -> tuple[dict[str, Unit], int]:
    """Create or update the demo units; returns them by code and how many were created."""
    rows = unit_rows()
    existing = index(Unit.objects.filter(code__in=[row["code"] for row in rows]), lambda u: u.code)
    units: dict[str, Unit] = {}
    created = 0
    for row in rows:
        values = {**row, "active": True}
        code = values.pop("code")
        parent = values.pop("parent")
        values["parent"] = units[parent] if parent else None
        units[code], was_created = sync_row(Unit, existing.get(code), {"code": code}, values)
        created += was_created
    return units, created


def load_groups(units: dict[str, Unit]) -> tuple[list[EmulationGroup], int, int]:
    """Create or update the 2024 blocks and clusters and their members; returns the
    groups and how many groups and memberships were created."""
    specs = BLOCKS + CLUSTERS
    existing = index(EmulationGroup.objects.filter(year=YEAR), lambda g: g.code)
    memberships = index(
        GroupMembership.objects.filter(year=YEAR, unit__in=list(units.values())),
        lambda m: (m.unit_id, m.kind),
    )
    groups, groups_created, members_created = [], 0, 0
    for order, spec in enumerate(specs, start=1):
        code = group_code(spec)
        values = {
            "kind": spec.kind,
            "name": group_name(spec),
            "head_unit": units[spec.head],
            "deputy_unit": units[spec.deputy],
            "order": order,
        }
        group, was_created = sync_row(
            EmulationGroup, existing.get(code), {"year": YEAR, "code": code}, values
        )
        groups.append(group)
        groups_created += was_created
        for unit_code in spec.members:
            unit = units[unit_code]
            _, was_created = sync_row(
                GroupMembership,
                memberships.get((unit.pk, spec.kind)),
                {"unit": unit},
                {"group": group},
            )
            members_created += was_created
    return groups, groups_created, members_created
