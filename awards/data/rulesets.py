"""The rule sets that ship with the product (eligibility.md §5, domain.md §0 and §3.4),
loaded by the awards migration and read by awards.rulesets when the table is empty.

Both take every parameter's default (awards.parameters.Parameters): domain.md finds
Decree 152/2025/NĐ-CP re-enacting the principles of Decree 98/2023/NĐ-CP (Art 4) that
the parameters follow, and names no parameter that changed."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

# (title code, council level, denominator, threshold %, secret ballot, chair must agree,
# legal basis): CSTĐ Bộ and CSTĐ toàn quốc need 90% of all the council's members by
# secret ballot (Decree 91/2017 Art 45 cl.8, still the practice; domain.md §3.4).
THRESHOLDS = (
    (
        "CSTD_BO",
        "ministry",
        "all_members",
        90,
        True,
        False,
        "Nghị định 91/2017/NĐ-CP, Điều 45 khoản 8",
    ),
    (
        "CSTD_TQ",
        "ministry",
        "all_members",
        90,
        True,
        False,
        "Nghị định 91/2017/NĐ-CP, Điều 45 khoản 8",
    ),
)


@dataclass(frozen=True)
class ShippedSet:
    code: str
    name: str
    legal_bases: str
    effective_from: dt.date
    effective_to: dt.date | None


SHIPPED = (
    ShippedSet(
        "RS-2024",
        "Bộ quy tắc từ 01/01/2024 (Nghị định 98/2023/NĐ-CP)",
        "Luật Thi đua, khen thưởng số 06/2022/QH15\n"
        "Nghị định số 98/2023/NĐ-CP\n"
        "Thông tư số 01/2024/TT-BNV\n"
        "Thông tư số 18/2023/TT-BTNMT (thông tư của ngành)",
        dt.date(2024, 1, 1),
        dt.date(2025, 6, 30),
    ),
    ShippedSet(
        "RS-2025-07",
        "Bộ quy tắc từ 01/07/2025 (Nghị định 152/2025/NĐ-CP)",
        "Luật Thi đua, khen thưởng số 06/2022/QH15\n"
        "Nghị định số 152/2025/NĐ-CP (thay Nghị định 98/2023/NĐ-CP; các nguyên tắc của "
        "Điều 4 và các tham số không đổi)\n"
        "Thông tư số 15/2025/TT-BNV",
        dt.date(2025, 7, 1),
        None,
    ),
)


def load_rule_sets(RuleSet, VotingThreshold, Title) -> None:
    """Create or update the shipped sets by code, their parameters left as they are
    (the defaults when created, an officer's edits afterwards), and their thresholds."""
    titles = {
        title.code: title for title in Title.objects.filter(code__in=[t[0] for t in THRESHOLDS])
    }
    for shipped in SHIPPED:
        rule_set, _ = RuleSet.objects.update_or_create(
            code=shipped.code,
            defaults={
                "name": shipped.name,
                "sector": settings.RULESET_SECTOR,
                "legal_bases": shipped.legal_bases,
                "effective_from": shipped.effective_from,
                "effective_to": shipped.effective_to,
            },
        )
        for code, level, denominator, pct, secret, chair, basis in THRESHOLDS:
            if code not in titles:
                continue
            VotingThreshold.objects.update_or_create(
                rule_set=rule_set,
                title=titles[code],
                council_level=level,
                defaults={
                    "denominator": denominator,
                    "threshold_pct": pct,
                    "secret_ballot": secret,
                    "chair_must_agree": chair,
                    "legal_basis": basis,
                },
            )
