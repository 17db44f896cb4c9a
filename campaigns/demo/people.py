"""Staff records of the demo ministry, made up by a deterministic name generator.

Each unit draws from its own random.Random seeded with the unit's code, so every run
gives the same people, and adding a unit does not change anyone else. The names are
invented: common Vietnamese family, middle and given names, both genders."""

import datetime as dt
import random

from units.enums import Gender, PersonCategory, UnitKind
from units.models import Person, Unit

from .sync import index, sync_row

SEED = "thidua-demo-2024"
EMPLOYEE_CODE_PREFIX = "BTNMT-"

# Family names with rough weights from their frequency in Vietnam.
FAMILY_NAMES = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 4),
    ("Huỳnh", 2),
    ("Phan", 4),
    ("Vũ", 3),
    ("Võ", 2),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Trịnh", 1),
    ("Đoàn", 1),
    ("Lương", 1),
    ("Mai", 1),
    ("Cao", 1),
    ("Hà", 1),
    ("Tạ", 1),
]
MIDDLE_NAMES = {
    Gender.MALE: ["Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Công", "Mạnh", "Trọng"]
    + ["Quốc", "Tuấn", "Đình", "Thanh", "Ngọc", "Hoàng", "Anh", "Việt", "Thế", "Bá"],
    Gender.FEMALE: ["Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Phương", "Hồng"]
    + ["Thúy", "Kim", "Bích", "Diệu", "Khánh", "Mai", "Hải", "Lan", "Quỳnh", "Thùy"],
}


def _words(text: str) -> list[str]:
    return text.split()


GIVEN_NAMES = {
    Gender.MALE: _words(
        "Anh Bình Cường Dũng Duy Đạt Đức Giang Hải Hiếu Hoàng Hùng Huy Khánh Khoa Kiên Lâm "
        "Long Lực Minh Nam Nghĩa Phong Phúc Quân Quang Sơn Tài Thắng Thành Thịnh Toàn Trung "
        "Tuấn Tùng Việt Vinh Hưng Hiệp Lộc Tiến Bảo Chiến Định Hậu"
    ),
    Gender.FEMALE: _words(
        "Anh Chi Dung Giang Hà Hằng Hạnh Hiền Hoa Hồng Huyền Hương Lan Liên Linh Loan Mai "
        "Ngân Ngọc Nhung Oanh Phương Quyên Quỳnh Tâm Thảo Thu Thủy Trang Trinh Uyên Vân Yến "
        "Hòa Nga Thơ Lý Duyên Nhàn"
    ),
}


def full_name(rng: random.Random, gender: str) -> str:
    """One plausible Vietnamese full name: family, middle and given name."""
    family = rng.choices([n for n, _ in FAMILY_NAMES], weights=[w for _, w in FAMILY_NAMES])[0]
    given = rng.choice(GIVEN_NAMES[gender])
    middle = rng.choice([m for m in MIDDLE_NAMES[gender] if m != given])
    return f"{family} {middle} {given}"


# Per unit kind: head title, deputy title, staff positions, category of the staff,
# and how many people the unit has (low, high).
_ADMIN_STAFF = ["Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên chính", "Chuyên viên"]
PROFILES = {
    UnitKind.MINISTRY: ("Bộ trưởng", "Thứ trưởng", [], PersonCategory.CADRE, (4, 4)),
    UnitKind.DEPARTMENT: (
        "Vụ trưởng",
        "Phó Vụ trưởng",
        ["Chuyên viên cao cấp", "Chuyên viên chính", "Chuyên viên", "Chuyên viên"],
        PersonCategory.CIVIL_SERVANT,
        (3, 6),
    ),
    UnitKind.OFFICE: (
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        ["Trưởng phòng", "Chuyên viên chính", "Chuyên viên", "Văn thư", "Kế toán"],
        PersonCategory.CIVIL_SERVANT,
        (4, 8),
    ),
    UnitKind.INSPECTORATE: (
        "Chánh Thanh tra",
        "Phó Chánh Thanh tra",
        ["Trưởng phòng", "Thanh tra viên chính", "Thanh tra viên", "Thanh tra viên"],
        PersonCategory.CIVIL_SERVANT,
        (4, 7),
    ),
    UnitKind.GENERAL_DEPARTMENT: (
        "Tổng cục trưởng",
        "Phó Tổng cục trưởng",
        ["Vụ trưởng", "Dự báo viên chính", "Dự báo viên", "Chuyên viên chính", "Chuyên viên"],
        PersonCategory.CIVIL_SERVANT,
        (10, 12),
    ),
    UnitKind.ADMINISTRATION: (
        "Cục trưởng",
        "Phó Cục trưởng",
        _ADMIN_STAFF + ["Chuyên viên", "Kế toán"],
        PersonCategory.CIVIL_SERVANT,
        (5, 10),
    ),
    UnitKind.INSTITUTE: (
        "Viện trưởng",
        "Phó Viện trưởng",
        ["Trưởng phòng", "Nghiên cứu viên chính", "Nghiên cứu viên", "Nghiên cứu viên", "Kế toán"],
        PersonCategory.PUBLIC_EMPLOYEE,
        (4, 8),
    ),
    UnitKind.SCHOOL: (
        "Hiệu trưởng",
        "Phó Hiệu trưởng",
        ["Trưởng khoa", "Giảng viên chính", "Giảng viên", "Giảng viên", "Kế toán"],
        PersonCategory.PUBLIC_EMPLOYEE,
        (6, 10),
    ),
    UnitKind.PRESS: (
        "Tổng Biên tập",
        "Phó Tổng Biên tập",
        ["Trưởng ban", "Biên tập viên", "Phóng viên", "Phóng viên", "Kế toán"],
        PersonCategory.PUBLIC_EMPLOYEE,
        (4, 7),
    ),
    UnitKind.CENTRE: (
        "Giám đốc",
        "Phó Giám đốc",
        ["Trưởng phòng", "Kỹ sư chính", "Kỹ sư", "Kỹ sư", "Kế toán"],
        PersonCategory.PUBLIC_EMPLOYEE,
        (4, 7),
    ),
    UnitKind.PUBLIC_SERVICE: (
        "Giám đốc",
        "Phó Giám đốc",
        ["Trưởng phòng", "Chuyên viên chính", "Chuyên viên", "Kế toán"],
        PersonCategory.PUBLIC_EMPLOYEE,
        (4, 6),
    ),
    UnitKind.ENTERPRISE: (
        "Tổng Giám đốc",
        "Phó Tổng Giám đốc",
        ["Trưởng phòng", "Kế toán trưởng", "Kỹ sư", "Kỹ sư", "Nhân viên"],
        PersonCategory.WORKER,
        (4, 8),
    ),
    UnitKind.PROVINCIAL_DEPARTMENT: (
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        ["Chánh Văn phòng Sở", "Trưởng phòng", "Chuyên viên chính", "Chuyên viên", "Kế toán"],
        PersonCategory.CIVIL_SERVANT,
        (4, 7),
    ),
}
# A few units whose head has a different title than their kind's.
HEAD_TITLES = {
    "nxb-tnmt-ban-do": ("Giám đốc", "Phó Giám đốc"),
    "cong-ty-tnmt-mien-nam": ("Giám đốc", "Phó Giám đốc"),
}
# The Department of Organization and Personnel runs emulation work: it gets two
# emulation officers' accounts, so it needs a few more staff.
SIZES = {"vu-to-chuc-can-bo": 8}
# Support staff on a labour contract are workers whatever the unit's kind.
WORKER_POSITIONS = {"Nhân viên", "Văn thư"}


def person_rows(unit: Unit) -> list[dict]:
    """The people of one unit, head first, then deputies, then staff."""
    head_title, deputy_title, staff, category, (low, high) = PROFILES[unit.kind]
    head_title, deputy_title = HEAD_TITLES.get(unit.code, (head_title, deputy_title))
    rng = random.Random(f"{SEED}:{unit.code}")
    size = rng.randint(low, high)
    size = SIZES.get(unit.code, size)
    # The minister's deputies are all the ministry's people; a small unit has one deputy.
    deputies = size - 1 if unit.kind == UnitKind.MINISTRY else 1
    if unit.kind != UnitKind.MINISTRY and size > 5:
        deputies = rng.randint(2, 3)
    team = sorted((rng.choice(staff) for _ in range(size - 1 - deputies)), key=staff.index)
    if size >= 7:
        team[-1] = "Nhân viên"
    positions = [head_title] + [deputy_title] * deputies + team
    rows = []
    for number, position in enumerate(positions, start=1):
        is_leader = number <= 1 + deputies
        gender = Gender.MALE if rng.random() < (0.65 if is_leader else 0.45) else Gender.FEMALE
        first_year = rng.randint(1992, 2008) if is_leader else rng.randint(2000, 2023)
        rows.append(
            {
                "employee_code": f"{EMPLOYEE_CODE_PREFIX}{unit.order:04d}-{number:02d}",
                "full_name": full_name(rng, gender),
                "gender": gender,
                "position": position,
                "category": PersonCategory.WORKER if position in WORKER_POSITIONS else category,
                "is_leader": is_leader,
                "start_date": dt.date(first_year, rng.randint(1, 12), rng.choice([1, 15])),
            }
        )
    return rows


def load_people(units: list[Unit]) -> tuple[dict[str, list[Person]], int]:
    """Create or update the staff of the given units (in that order); returns each
    unit's people by unit code, head first, and how many were created."""
    existing = index(
        Person.objects.filter(employee_code__startswith=EMPLOYEE_CODE_PREFIX),
        lambda p: p.employee_code,
    )
    people: dict[str, list[Person]] = {}
    created = 0
    for unit in units:
        people[unit.code] = []
        for row in person_rows(unit):
            code = row.pop("employee_code")
            person, was_created = sync_row(
                Person,
                existing.get(code),
                {"employee_code": code},
                {"unit": unit, "active": True, **row},
            )
            people[unit.code].append(person)
            created += was_created
    return people, created
