"""The consecutive-year ladders: CSTĐCS → CSTĐ Bộ (Law Art 22) → CSTĐ toàn quốc (Art 21);
Bằng khen Bộ (Art 74 cl.1(d)) → Bằng khen Thủ tướng (Art 73 cl.1(b)) → Huân chương Lao
động hạng Ba (Art 44 cl.1(e)). No year counts twice for the same title or form; thematic
and extraordinary awards are no ground (Decree 98/2023 Art 4)."""

from tests.awards.law import met, person, reason, verdict


def cstdcs(*years):
    return [{"year": y, "title": "CSTDCS"} for y in years]


def initiative(ident, recognized, scope="co_so", kind="initiative", used_for=()):
    return {
        "id": ident,
        "type": kind,
        "scope": scope,
        "recognized": recognized,
        "used_for": list(used_for),
    }


BO_SK = initiative("SK-B", "2024-04-01", scope="bo")


def test_cstd_bo_eligible():
    """Law Art 22: three consecutive CSTĐCS and an initiative of ministry-wide influence."""
    v = verdict(person(titles=cstdcs(2022, 2023, 2024), initiatives=[BO_SK]), "CSTD_BO")
    assert v.eligible, [r.text for r in v.failing]
    assert "2022, 2023, 2024" in reason(v, "CSTD_BO_STREAK").text


def test_cstd_bo_streak():
    """Law Art 22: the three CSTĐCS are consecutive and end in the year judged."""
    assert not met(person(titles=cstdcs(2021, 2023, 2024)), "CSTD_BO", "CSTD_BO_STREAK")
    ended = person(titles=cstdcs(2021, 2022, 2023))
    assert not met(ended, "CSTD_BO", "CSTD_BO_STREAK")
    assert met(ended, "CSTD_BO", "CSTD_BO_STREAK", cstd_bo_streak_ends_in_eval_year=False)
    assert met(
        person(titles=cstdcs(2023, 2024)), "CSTD_BO", "CSTD_BO_STREAK", cstd_bo_consecutive_cstdcs=2
    )


def test_cstd_bo_no_double_count():
    """no_double_count: years already used for an earlier CSTĐ Bộ do not count again."""
    titles = cstdcs(2019, 2020, 2021, 2022, 2023, 2024) + [{"year": 2022, "title": "CSTD_BO"}]
    record = person(titles=titles, initiatives=[BO_SK])
    v = verdict(record, "CSTD_BO")
    assert not reason(v, "CSTD_BO_STREAK").met
    assert "2023, 2024" in reason(v, "CSTD_BO_STREAK").text
    assert met(record, "CSTD_BO", "CSTD_BO_STREAK", no_double_count=False)
    later = person(titles=titles[:-1] + [{"year": 2021, "title": "CSTD_BO"}])
    assert met(later, "CSTD_BO", "CSTD_BO_STREAK")


def test_cstd_bo_initiative_scope_and_reuse():
    """Law Art 22: the initiative's influence is ministry-wide and it was not used before."""
    titles = cstdcs(2022, 2023, 2024)
    assert not met(
        person(titles=titles, initiatives=[{**BO_SK, "scope": "co_so"}]),
        "CSTD_BO",
        "CSTD_BO_INITIATIVE",
    )
    used = {**BO_SK, "used_for": [{"code": "BK_BO", "year": 2023}]}
    assert not met(person(titles=titles, initiatives=[used]), "CSTD_BO", "CSTD_BO_INITIATIVE")


def test_cstd_bo_discipline_in_the_streak():
    """Decree 98/2023 Art 4: achievements count only from the end of a discipline."""
    d = {
        "level": "khien_trach",
        "decided": "2022-03-01",
        "effective_from": "2022-03-01",
        "effective_to": "2023-02-28",
    }
    record = person(titles=cstdcs(2022, 2023, 2024), initiatives=[BO_SK], discipline=[d])
    assert not met(record, "CSTD_BO", "DISCIPLINE")
    assert met(
        person(
            titles=cstdcs(2022, 2023, 2024),
            discipline=[
                {
                    **d,
                    "decided": "2020-03-01",
                    "effective_from": "2020-03-01",
                    "effective_to": "2021-02-28",
                }
            ],
        ),
        "CSTD_BO",
        "DISCIPLINE",
    )


def test_cstd_tq_eligible():
    """Law Art 21: two consecutive CSTĐ Bộ, the second in the year judged, and a nationwide
    initiative."""
    titles = cstdcs(*range(2016, 2025)) + [
        {"year": 2021, "title": "CSTD_BO"},
        {"year": 2024, "title": "CSTD_BO"},
    ]
    nationwide = initiative("SK-Q", "2024-06-01", scope="toan_quoc")
    v = verdict(person(titles=titles, initiatives=[nationwide]), "CSTD_TQ")
    assert v.eligible, [r.text for r in v.failing]
    assert not met(person(titles=titles, initiatives=[BO_SK]), "CSTD_TQ", "CSTD_TQ_INITIATIVE")


def test_cstd_tq_chain_unbroken():
    """cstd_tq_consecutive_definition: the CSTĐCS chain between the two CSTĐ Bộ is unbroken."""
    bo = [{"year": 2021, "title": "CSTD_BO"}, {"year": 2024, "title": "CSTD_BO"}]
    assert met(person(titles=cstdcs(*range(2019, 2025)) + bo), "CSTD_TQ", "CSTD_TQ_CHAIN")
    broken = cstdcs(2019, 2020, 2021, 2023, 2024) + bo
    v = verdict(person(titles=broken), "CSTD_TQ")
    assert "gián đoạn năm 2022" in reason(v, "CSTD_TQ_CHAIN").text


def test_cstd_tq_timing():
    """cstd_tq_timing: proposed in the year of the second CSTĐ Bộ."""
    titles = cstdcs(*range(2018, 2025)) + [
        {"year": 2020, "title": "CSTD_BO"},
        {"year": 2023, "title": "CSTD_BO"},
    ]
    assert not met(person(titles=titles), "CSTD_TQ", "CSTD_TQ_CHAIN")
    assert met(person(titles=titles), "CSTD_TQ", "CSTD_TQ_CHAIN", cstd_tq_timing="any")


def test_cstd_tq_count_and_strict_windows():
    """cstd_tq_consecutive_cstd_bo and strict_windows: windows of three years exactly."""
    titles = cstdcs(*range(2017, 2025)) + [
        {"year": 2020, "title": "CSTD_BO"},
        {"year": 2024, "title": "CSTD_BO"},
    ]
    assert met(person(titles=titles), "CSTD_TQ", "CSTD_TQ_CHAIN")
    assert not met(
        person(titles=titles),
        "CSTD_TQ",
        "CSTD_TQ_CHAIN",
        cstd_tq_consecutive_definition="strict_windows",
    )
    assert not met(person(titles=titles), "CSTD_TQ", "CSTD_TQ_CHAIN", cstd_tq_consecutive_cstd_bo=3)


SK_23 = initiative("SK-1", "2023-05-01")
SK_24 = initiative("SK-2", "2024-05-01")


def test_bk_bo_route_cstdcs():
    """Law Art 74 cl.1(d): two consecutive CSTĐCS with two initiatives not used before."""
    record = person(
        titles=cstdcs(2023, 2024),
        grades={"2023": "HTTNV", "2024": "HTTNV"},
        initiatives=[SK_23, SK_24],
    )
    v = verdict(record, "BK_BO")
    assert v.eligible, [r.text for r in v.failing]
    one = person(
        titles=cstdcs(2023, 2024), grades={"2023": "HTTNV", "2024": "HTTNV"}, initiatives=[SK_24]
    )
    assert not met(one, "BK_BO", "BK_BO_ROUTE")
    assert met(one, "BK_BO", "BK_BO_ROUTE", bk_bo_initiatives_on_cstdcs_route=False)
    assert met(one, "BK_BO", "BK_BO_ROUTE", bk_bo_initiatives_required=1)


def test_bk_bo_route_htxsnv():
    """Law Art 74 cl.1(d): two consecutive years HTXSNV with two initiatives."""
    grades = {"2023": "HTXSNV", "2024": "HTXSNV"}
    assert met(person(grades=grades, initiatives=[SK_23, SK_24]), "BK_BO", "BK_BO_ROUTE")
    assert not met(
        person(grades={**grades, "2023": "HTTNV"}, initiatives=[SK_23, SK_24]),
        "BK_BO",
        "BK_BO_ROUTE",
    )
    assert met(
        person(grades={**grades, "2023": "HTTNV"}, initiatives=[SK_23, SK_24]),
        "BK_BO",
        "BK_BO_ROUTE",
        bk_bo_min_htxsnv_years=1,
        bk_bo_initiatives_required=1,
    )
    three = person(grades=grades, titles=cstdcs(2024), initiatives=[SK_23, SK_24])
    assert not met(
        three, "BK_BO", "BK_BO_ROUTE", bk_bo_consecutive_cstdcs=2, bk_bo_min_htxsnv_years=3
    )


def test_bk_bo_initiatives_used_for_cstdcs_do_not_count():
    """MOHA: initiatives used for CSTĐCS do not count again for the Bằng khen."""
    used = initiative("SK-2", "2024-05-01", used_for=[{"code": "CSTDCS", "year": 2024}])
    record = person(grades={"2023": "HTXSNV", "2024": "HTXSNV"}, initiatives=[SK_23, used])
    assert not met(record, "BK_BO", "BK_BO_ROUTE")
    assert met(record, "BK_BO", "BK_BO_ROUTE", initiative_reuse_ban=False)


def test_bk_bo_mix_initiative_and_sci_work():
    """bk_bo_mix_initiative_and_sci_work: one initiative and one scientific work."""
    work = initiative("DT-1", "2024-05-01", kind="sci_work")
    record = person(grades={"2023": "HTXSNV", "2024": "HTXSNV"}, initiatives=[SK_23, work])
    assert not met(record, "BK_BO", "BK_BO_ROUTE")
    assert met(record, "BK_BO", "BK_BO_ROUTE", bk_bo_mix_initiative_and_sci_work=True)


def test_bk_bo_no_double_count():
    """no_double_count: the years of an earlier Bằng khen Bộ do not count again."""
    record = person(
        grades={"2023": "HTXSNV", "2024": "HTXSNV"},
        initiatives=[SK_23, SK_24],
        awards=[{"form": "BK_BO", "achievement_year": 2023, "kind": "regular"}],
    )
    assert not met(record, "BK_BO", "BK_BO_ROUTE")
    assert met(record, "BK_BO", "BK_BO_ROUTE", no_double_count=False)


def run(first, last, grade="HTTNV"):
    return {str(y): grade for y in range(first, last + 1)}


def test_bk_ttg_eligible():
    """Law Art 73 cl.1(b): a Minister's Bằng khen then five years ≥ HTTNV with three CSTĐCS."""
    record = person(
        grades=run(2020, 2024),
        titles=cstdcs(2022, 2023, 2024),
        awards=[{"form": "BK_BO", "achievement_year": 2019, "kind": "regular"}],
    )
    v = verdict(record, "BK_TTG")
    assert v.eligible, [r.text for r in v.failing]


def test_bk_ttg_base_thematic_is_no_ground():
    """Decree 98/2023 Art 4: a thematic Bằng khen is no ground for a higher award."""
    record = person(
        grades=run(2020, 2024),
        titles=cstdcs(2022, 2023, 2024),
        awards=[{"form": "BK_BO", "achievement_year": 2019, "kind": "thematic"}],
    )
    v = verdict(record, "BK_TTG")
    assert not reason(v, "BK_TTG_BASE").met
    assert "theo chuyên đề" in reason(v, "BK_TTG_BASE").text
    assert verdict(record, "BK_TTG", thematic_or_extraordinary_not_basis=False).eligible


def test_bk_ttg_run_and_cstdcs():
    """Law Art 73 cl.1(b): the run is five consecutive years; three CSTĐCS within it."""
    award = [{"form": "BK_BO", "achievement_year": 2019, "kind": "regular"}]
    broken = {**run(2020, 2024), "2021": "HTNV"}
    assert not met(
        person(grades=broken, titles=cstdcs(2022, 2023, 2024), awards=award), "BK_TTG", "BK_TTG_RUN"
    )
    assert met(
        person(grades=broken, titles=cstdcs(2022, 2023, 2024), awards=award),
        "BK_TTG",
        "BK_TTG_RUN",
        bk_ttg_min_run_years=3,
    )
    two = person(grades=run(2020, 2024), titles=cstdcs(2023, 2024), awards=award)
    assert not met(two, "BK_TTG", "BK_TTG_CSTDCS")
    assert met(two, "BK_TTG", "BK_TTG_CSTDCS", bk_ttg_cstdcs_in_run=2)


def test_hcld3():
    """Law Art 44 cl.1(e): a PM's Bằng khen then five years ≥ HTTNV, one HTXSNV, three CSTĐCS."""
    award = [{"form": "BK_TTG", "achievement_year": 2019, "kind": "regular"}]
    grades = {**run(2020, 2024), "2024": "HTXSNV"}
    record = person(grades=grades, titles=cstdcs(2022, 2023, 2024), awards=award)
    assert verdict(record, "HCLD3").eligible
    plain = person(grades=run(2020, 2024), titles=cstdcs(2022, 2023, 2024), awards=award)
    assert not met(plain, "HCLD3", "HCLD3_HTXSNV")
    assert met(plain, "HCLD3", "HCLD3_HTXSNV", hcld3_htxsnv_years_in_run=0)
    assert not met(record, "HCLD3", "HCLD3_RUN", hcld3_min_run_years=6)
    assert not met(record, "HCLD3", "HCLD3_CSTDCS", hcld3_cstdcs_in_run=4)
    extraordinary = person(
        grades=grades,
        titles=cstdcs(2022, 2023, 2024),
        awards=[{**award[0], "kind": "extraordinary"}],
    )
    assert not met(extraordinary, "HCLD3", "HCLD3_BASE")
