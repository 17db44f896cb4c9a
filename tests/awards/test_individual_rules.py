"""The rules every individual title checks: Lao động tiên tiến (Law 06/2022/QH15 Art 24)
and the special cases of Circular 01/2024/TT-BNV and Decree 98/2023/NĐ-CP Art 4. Each
rule has a met case and a not-met case that differ in one fact."""

from tests.awards.law import met, person, reason, verdict


def test_ldtt_eligible_with_every_rule_listed_and_based():
    """Law Art 24 cl.1: a person graded HTTNV or better, active in emulation, is LĐTT."""
    v = verdict(person(), "LDTT")
    assert v.eligible
    assert [r.rule for r in v.reasons] == [
        "LDTT_GRADE",
        "LDTT_CONDUCT",
        "TENURE",
        "DISCIPLINE",
        "OPEN_PROCESS",
    ]
    assert all(r.met and r.legal_basis and r.text for r in v.reasons)


def test_ldtt_grade():
    """Law Art 24 cl.1(a): graded Hoàn thành tốt nhiệm vụ or better."""
    assert met(person(grades={"2024": "HTTNV"}), "LDTT", "LDTT_GRADE")
    v = verdict(person(grades={"2024": "HTNV"}), "LDTT")
    assert not v.eligible
    assert reason(v, "LDTT_GRADE").text == (
        "Năm 2024 xếp loại Hoàn thành nhiệm vụ, chưa đạt mức Hoàn thành tốt nhiệm vụ."
    )
    assert "Điều 24" in reason(v, "LDTT_GRADE").legal_basis


def test_ldtt_grade_missing_year():
    """Law Art 24 cl.1(a): a year not graded is not a year graded HTTNV."""
    assert not met(person(grades={"2023": "HTTNV"}), "LDTT", "LDTT_GRADE")


def test_ldtt_conduct():
    """Law Art 24 cl.1(b): the unit council's finding on self-reliance and emulation."""
    assert met(person(conduct_ok={"2024": True}), "LDTT", "LDTT_CONDUCT")
    assert not met(person(conduct_ok={"2024": False}), "LDTT", "LDTT_CONDUCT")


def test_tenure_six_months():
    """Circular 01/2024/TT-BNV Art 1 cl.5(d): newly recruited under 6 months are not considered."""
    assert met(person(start_date="2024-07-01"), "LDTT", "TENURE")
    v = verdict(person(start_date="2024-07-02"), "LDTT")
    assert not v.eligible
    assert "chỉ 5 tháng" in reason(v, "TENURE").text


def test_tenure_prior_contract_same_agency():
    """MOHA: a labour contract at the same agency counts toward tenure."""
    record = person(start_date="2024-10-01", prior_contract_same_agency_from="2024-02-01")
    assert met(record, "LDTT", "TENURE")
    assert not met(record, "LDTT", "TENURE", tenure_counts_prior_contract_same_agency=False)
    assert not met(person(start_date="2024-10-01"), "LDTT", "TENURE")


def test_tenure_min_months_parameter():
    """min_months_employed: 10 months under Decree 91/2017 flips a 7-month year."""
    record = person(start_date="2024-06-01")
    assert met(record, "LDTT", "TENURE")
    assert not met(record, "LDTT", "TENURE", min_months_employed=10)


def test_working_time_maternity():
    """Decree 98/2023 Art 4: statutory maternity leave counts as time worked."""
    leave = {"type": "maternity", "from": "2024-02-01", "to": "2024-09-30"}
    assert met(person(leave=[{**leave, "statutory": True}]), "LDTT", "WORKING_TIME")
    assert not met(person(leave=[{**leave, "statutory": False}]), "LDTT", "WORKING_TIME")
    assert not met(
        person(leave=[{**leave, "statutory": True}]),
        "LDTT",
        "WORKING_TIME",
        maternity_counts_as_working_time=False,
    )


def test_working_time_injury():
    """Circular 01/2024: treatment of an injury counts as time worked; unpaid leave does not."""
    leave = {"from": "2024-01-01", "to": "2024-08-31"}
    assert met(person(leave=[{**leave, "type": "injury"}]), "LDTT", "WORKING_TIME")
    assert not met(person(leave=[{**leave, "type": "unpaid"}]), "LDTT", "WORKING_TIME")


def test_absence_exclusion_optional():
    """absence_exclusion_working_days: off by default; 40 days of unpaid leave excludes."""
    record = person(leave=[{"type": "unpaid", "from": "2024-03-01", "to": "2024-04-30"}])
    assert verdict(record, "LDTT").eligible
    assert not met(record, "LDTT", "ABSENCE", absence_exclusion_working_days=40)
    assert met(record, "LDTT", "ABSENCE", absence_exclusion_working_days=60)


def test_training_long_result():
    """Circular 01/2024 Art 1 cl.5: training of a year or more counts with a result of khá."""
    course = {
        "course": "Thạc sĩ",
        "from": "2023-09-01",
        "to": "2024-08-31",
        "compliant": True,
        "completed": True,
    }
    assert met(person(training=[{**course, "result": "kha"}]), "LDTT", "TRAINING_RESULT")
    v = verdict(person(training=[{**course, "result": "trung_binh"}]), "LDTT")
    assert not reason(v, "TRAINING_RESULT").met
    assert "trung bình" in reason(v, "TRAINING_RESULT").text
    assert met(
        person(training=[{**course, "result": "trung_binh"}]),
        "LDTT",
        "TRAINING_RESULT",
        training_min_result="trung_binh",
    )


def test_training_long_completion():
    """Circular 01/2024 Art 1 cl.5: a long course must be completed."""
    course = {"from": "2023-09-01", "to": "2024-08-31", "compliant": True, "result": "gioi"}
    assert met(person(training=[{**course, "completed": True}]), "LDTT", "TRAINING_RESULT")
    assert not met(person(training=[{**course, "completed": False}]), "LDTT", "TRAINING_RESULT")


def test_training_short_needs_only_compliance():
    """Circular 01/2024 Art 1 cl.5: a course under a year counts if the rules were obeyed."""
    course = {"from": "2024-01-01", "to": "2024-06-30", "completed": False, "result": None}
    assert met(person(training=[{**course, "compliant": True}]), "LDTT", "TRAINING_RESULT")
    assert not met(person(training=[{**course, "compliant": False}]), "LDTT", "TRAINING_RESULT")
    long_course = person(training=[{**course, "compliant": True}])
    assert not met(long_course, "LDTT", "TRAINING_RESULT", training_long_min_months=6)


def test_transfer_old_unit_comments():
    """Circular 01/2024 Art 1 cl.5: after 6 months or more at the old unit, its comments."""
    transfer = {"from_unit": "Vụ Kế hoạch", "date": "2024-09-01"}
    assert met(
        person(transfer={**transfer, "old_unit_comments": True}), "LDTT", "TRANSFER_COMMENTS"
    )
    v = verdict(person(transfer={**transfer, "old_unit_comments": False}), "LDTT")
    assert not reason(v, "TRANSFER_COMMENTS").met
    assert "Vụ Kế hoạch" in reason(v, "TRANSFER_COMMENTS").text
    early = person(transfer={"date": "2024-05-01", "old_unit_comments": False})
    assert met(early, "LDTT", "TRANSFER_COMMENTS")
    assert not met(early, "LDTT", "TRANSFER_COMMENTS", transfer_old_unit_comment_min_months=3)


def test_discipline_in_year():
    """Decree 98/2023 Art 4: a discipline in force during the year bars it."""
    d = {"level": "khien_trach", "decided": "2024-02-01", "effective_from": "2024-02-01"}
    assert met(person(discipline=[{**d, "effective_to": "2024-05-31"}]), "LDTT", "DISCIPLINE")
    assert not met(person(discipline=[{**d, "effective_to": "2025-01-31"}]), "LDTT", "DISCIPLINE")


def test_discipline_ending_mid_year():
    """Decree 98/2023 Art 4: achievements count from the end of a discipline; the rest of
    the year counts when at least min_months_employed long (disc_partial_year)."""
    d = {"level": "canh_cao", "decided": "2023-10-01", "effective_from": "2023-10-01"}
    assert met(person(discipline=[{**d, "effective_to": "2024-06-30"}]), "LDTT", "DISCIPLINE")
    v = verdict(person(discipline=[{**d, "effective_to": "2024-07-31"}]), "LDTT")
    assert not reason(v, "DISCIPLINE").met
    assert "5 tháng" in reason(v, "DISCIPLINE").text
    ending = person(discipline=[{**d, "effective_to": "2024-06-30"}])
    assert not met(ending, "LDTT", "DISCIPLINE", disc_partial_year="none")


def test_discipline_reset_off_counts_only_the_decision_year():
    """discipline_reset: off, a discipline bars only the year it was decided."""
    d = {
        "level": "canh_cao",
        "decided": "2023-10-01",
        "effective_from": "2023-10-01",
        "effective_to": "2024-09-30",
    }
    assert not met(person(discipline=[d]), "LDTT", "DISCIPLINE")
    assert met(person(discipline=[d]), "LDTT", "DISCIPLINE", discipline_reset=False)


def test_open_process_bars_award():
    """Decree 98/2023 Art 4: no award while a disciplinary review is open on the as-of date."""
    process = {"type": "disciplinary_review", "opened": "2024-12-10"}
    assert met(person(open_processes=[{**process, "closed": "2025-01-10"}]), "LDTT", "OPEN_PROCESS")
    v = verdict(person(open_processes=[{**process, "closed": None}]), "LDTT")
    assert not v.eligible
    assert "xem xét kỷ luật" in reason(v, "OPEN_PROCESS").text
    closing_later = person(open_processes=[{**process, "closed": "2025-02-01"}])
    assert not met(closing_later, "LDTT", "OPEN_PROCESS")
    assert met(closing_later, "LDTT", "OPEN_PROCESS", open_process_bars_award=False)


def test_leader_gate():
    """Decree 98/2023 Art 4 and the ministry's criteria: a leader's title needs the unit's
    Tập thể lao động xuất sắc of the year."""
    assert met(person(is_leader=True), "LDTT", "LEADER_GATE")
    leader = person(is_leader=True, unit_titles={"2024": ["TTLDTT"]})
    v = verdict(leader, "LDTT")
    assert not v.eligible
    assert "Tập thể lao động xuất sắc" in reason(v, "LEADER_GATE").text
    assert met(leader, "LDTT", "LEADER_GATE", leader_gate_required_unit_title="TTLDTT")
    assert verdict(leader, "LDTT", leader_gate_required_unit_title=None).eligible
    assert verdict(leader, "LDTT", leader_gate_applies_to=["CSTD_BO"]).eligible


def test_the_rule_set_of_july_2025_cites_decree_152():
    """Decree 152/2025/NĐ-CP Art 4 replaces Decree 98/2023 Art 4 from 1 July 2025."""
    v = verdict(person(), "LDTT", rule_set="RS-2025-07")
    assert reason(v, "DISCIPLINE").legal_basis == "Nghị định 152/2025/NĐ-CP, Điều 4"
    assert v.rule_set == "RS-2025-07"
