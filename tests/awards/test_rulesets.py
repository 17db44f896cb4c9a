"""Rule sets as data (eligibility.md §5, domain.md §0 and §3.4): the two sets that ship,
the set in force on a date, the periods of a sector never overlapping, the admin's
pages and its copy of a set as the start of a new decree."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from awards.data.rulesets import load_rule_sets
from awards.models import RuleSet, VotingThreshold
from awards.parameters import NAMES, Parameters
from awards.rulesets import UnknownRuleSet, copy_rule_set, in_force
from campaigns.models import Title

pytestmark = pytest.mark.django_db


def test_two_sets_ship_with_every_parameter_at_its_default():
    sets = list(RuleSet.objects.order_by("effective_from"))

    assert [(s.code, s.sector, s.effective_from, s.effective_to) for s in sets] == [
        ("RS-2024", "tnmt", dt.date(2024, 1, 1), dt.date(2025, 6, 30)),
        ("RS-2025-07", "tnmt", dt.date(2025, 7, 1), None),
    ]
    assert [s.parameters() for s in sets] == [Parameters(), Parameters()]
    assert {name: getattr(sets[0].parameters(), name) for name in NAMES} == {
        name: getattr(Parameters(), name) for name in NAMES
    }
    assert "98/2023/NĐ-CP" in sets[0].legal_bases
    assert "01/2024/TT-BNV" in sets[0].legal_bases
    assert "152/2025/NĐ-CP" in sets[1].legal_bases
    assert "15/2025/TT-BNV" in sets[1].legal_bases
    assert (sets[0].quorum_numerator, sets[0].quorum_denominator) == (2, 3)


def test_the_shipped_thresholds_are_ninety_percent_of_all_members_by_secret_ballot():
    rows = VotingThreshold.objects.filter(rule_set__code="RS-2025-07").select_related("title")

    assert sorted(
        (t.title.code, t.council_level, t.denominator, t.threshold_pct, t.secret_ballot)
        for t in rows
    ) == [
        ("CSTD_BO", "ministry", "all_members", Decimal("90.00"), True),
        ("CSTD_TQ", "ministry", "all_members", Decimal("90.00"), True),
    ]


def test_loading_the_shipped_sets_again_keeps_one_of_each_and_an_officers_edit():
    RuleSet.objects.filter(code="RS-2024").update(cstdcs_cap_share=Decimal("0.2"))

    load_rule_sets(RuleSet, VotingThreshold, Title)

    assert RuleSet.objects.count() == 2
    assert VotingThreshold.objects.count() == 4
    assert RuleSet.objects.get(code="RS-2024").cstdcs_cap_share == Decimal("0.2")


@pytest.mark.parametrize(
    ("as_of", "code"),
    [
        (dt.date(2024, 1, 1), "RS-2024"),
        (dt.date(2025, 6, 30), "RS-2024"),
        (dt.date(2025, 7, 1), "RS-2025-07"),
        (dt.date(2030, 12, 31), "RS-2025-07"),
    ],
)
def test_the_set_in_force_is_that_of_the_date(as_of, code):
    assert in_force(as_of) == (code, Parameters())


def test_the_set_in_force_reads_the_rows():
    RuleSet.objects.filter(code="RS-2025-07").update(min_months_employed=9)

    code, parameters = in_force(dt.date(2025, 7, 1))

    assert (code, parameters.min_months_employed) == ("RS-2025-07", 9)
    assert in_force(dt.date(2025, 6, 30))[1].min_months_employed == 6


def test_a_named_set_is_used_whatever_the_date():
    assert in_force(dt.date(2025, 12, 31), code="RS-2024") == ("RS-2024", Parameters())


def test_an_unknown_code_is_refused():
    with pytest.raises(UnknownRuleSet, match="RS-1999"):
        in_force(dt.date(2025, 1, 1), code="RS-1999")


def test_no_set_before_the_first_or_of_another_sector_is_refused():
    with pytest.raises(UnknownRuleSet):
        in_force(dt.date(2023, 12, 31))
    with pytest.raises(UnknownRuleSet):
        in_force(dt.date(2025, 1, 1), sector="bgddt")


def test_with_no_row_at_all_the_shipped_data_answers():
    RuleSet.objects.all().delete()

    assert in_force(dt.date(2025, 6, 30)) == ("RS-2024", Parameters())
    assert in_force(dt.date(2025, 7, 1)) == ("RS-2025-07", Parameters())
    with pytest.raises(UnknownRuleSet):
        in_force(dt.date(2025, 1, 1), code="RS-1999")


def _new_set(**fields) -> RuleSet:
    values = {
        "code": "RS-X",
        "name": "Thử",
        "sector": "tnmt",
        "legal_bases": "Luật 06/2022/QH15",
        "effective_from": dt.date(2026, 1, 1),
        **fields,
    }
    return RuleSet(**values)


def test_an_overlapping_period_of_the_same_sector_is_refused_in_vietnamese():
    rule_set = _new_set(effective_from=dt.date(2025, 6, 1), effective_to=dt.date(2025, 6, 30))

    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        rule_set.full_clean()

    assert refused.value.message_dict["effective_from"] == [
        "Thời gian hiệu lực trùng với bộ quy tắc RS-2024 của cùng ngành (01/01/2024 – "
        "30/06/2025): mỗi ngày chỉ có một bộ quy tắc có hiệu lực."
    ]


def test_a_period_of_another_sector_or_after_the_others_is_accepted():
    RuleSet.objects.filter(code="RS-2025-07").update(effective_to=dt.date(2025, 12, 31))

    _new_set(code="RS-BGD", sector="bgddt", effective_from=dt.date(2025, 1, 1)).full_clean()
    _new_set(effective_from=dt.date(2026, 1, 1)).full_clean()


def test_an_end_before_the_start_is_refused():
    rule_set = _new_set(effective_from=dt.date(2027, 1, 1), effective_to=dt.date(2026, 1, 1))

    with pytest.raises(ValidationError) as refused:
        rule_set.full_clean()

    assert list(refused.value.message_dict) == ["effective_to"]


def test_a_leader_gate_naming_a_title_not_in_the_catalogue_is_refused():
    rule_set = _new_set(leader_gate_applies_to=["LDTT", "NOPE"])
    RuleSet.objects.filter(code="RS-2025-07").update(effective_to=dt.date(2025, 12, 31))

    with pytest.raises(ValidationError) as refused:
        rule_set.full_clean()

    assert list(refused.value.message_dict) == ["leader_gate_applies_to"]
    assert "NOPE" in refused.value.message_dict["leader_gate_applies_to"][0]


def test_parameters_round_trip_through_the_row():
    changed = Parameters(
        min_months_employed=9,
        absence_exclusion_working_days=30,
        leader_gate_required_unit_title=None,
        leader_gate_applies_to=("LDTT",),
        cstdcs_cap_share=Decimal("0.125"),
        ttldtt_share_comparator="ge",
        bk_bo_mix_initiative_and_sci_work=True,
    )
    rule_set = RuleSet.objects.get(code="RS-2025-07")
    for name in NAMES:
        value = getattr(changed, name)
        setattr(rule_set, name, list(value) if isinstance(value, tuple) else value)
    rule_set.full_clean()
    rule_set.save()

    assert RuleSet.objects.get(pk=rule_set.pk).parameters() == changed


def test_the_quorum_and_a_threshold_are_exact():
    rule_set = RuleSet.objects.get(code="RS-2025-07")
    threshold = rule_set.voting_thresholds.get(title__code="CSTD_BO")

    assert [rule_set.quorum_met(6, members=9), rule_set.quorum_met(5, members=9)] == [True, False]
    assert threshold.passes(9, members=10, present=9, chair_agrees=False) is True
    assert threshold.passes(8, members=10, present=8, chair_agrees=True) is False


def test_a_copy_inside_a_closed_period_splits_it():
    source = RuleSet.objects.get(code="RS-2024")

    copy = copy_rule_set(source, code="RS-2024-B", name="B", effective_from=dt.date(2025, 1, 1))

    source.refresh_from_db()
    assert (source.effective_to, copy.effective_from, copy.effective_to) == (
        dt.date(2024, 12, 31),
        dt.date(2025, 1, 1),
        dt.date(2025, 6, 30),
    )
    assert [in_force(dt.date(2024, 12, 31))[0], in_force(dt.date(2025, 6, 30))[0]] == [
        "RS-2024",
        "RS-2024-B",
    ]


def test_a_copy_starts_a_new_decree_and_ends_the_source():
    source = RuleSet.objects.get(code="RS-2025-07")

    copy = copy_rule_set(source, code="RS-2026", name="Mới", effective_from=dt.date(2026, 1, 1))

    source.refresh_from_db()
    assert (source.effective_to, copy.effective_from, copy.effective_to) == (
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 1),
        None,
    )
    assert copy.parameters() == source.parameters()
    assert sorted(copy.voting_thresholds.values_list("title__code", flat=True)) == [
        "CSTD_BO",
        "CSTD_TQ",
    ]
    assert in_force(dt.date(2026, 1, 1))[0] == "RS-2026"


def test_a_copy_refused_changes_nothing():
    source = RuleSet.objects.get(code="RS-2024")

    # the code is taken: the source, ended on 31/05/2024 first, is left as it was
    with pytest.raises(ValidationError) as taken:
        copy_rule_set(source, code="RS-2025-07", name="X", effective_from=dt.date(2024, 6, 1))
    # after the source's end the copy is open-ended, and so overlaps RS-2025-07
    with pytest.raises(ValidationError) as overlapping:
        copy_rule_set(source, code="RS-Y", name="Y", effective_from=dt.date(2025, 8, 1))

    assert list(taken.value.message_dict) == ["code"]
    assert list(overlapping.value.message_dict) == ["effective_from"]
    assert sorted(RuleSet.objects.values_list("code", "effective_to")) == [
        ("RS-2024", dt.date(2025, 6, 30)),
        ("RS-2025-07", None),
    ]


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), response


def test_the_changelist_lists_the_sets(staff_client, django_assert_max_num_queries):
    # session, user, counts, the page of sets, and the admin's own
    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("admin:awards_ruleset_changelist"))

    assert response.status_code == 200
    assert [r.code for r in response.context["cl"].result_list] == ["RS-2024", "RS-2025-07"]


def test_the_change_page_groups_the_parameters_with_their_help(staff_client):
    rule_set = RuleSet.objects.get(code="RS-2025-07")
    url = reverse("admin:awards_ruleset_change", args=[rule_set.pk])

    staff_client.get(url)  # the first request also caches the content types
    few, response = _queries(staff_client, url)
    for title in Title.objects.filter(code__in=["LDTT", "CSTDCS", "TTLDXS"]):
        VotingThreshold.objects.create(rule_set=rule_set, title=title, threshold_pct=70)
    more, _ = _queries(staff_client, url)

    assert response.status_code == 200
    # session, user, the set, its thresholds, the titles offered once, the admin's own
    assert few == more
    assert few <= 8
    fieldsets = [f.name for f in response.context["adminform"]]
    assert len(fieldsets) == 11
    content = response.content.decode()
    with translation.override("vi"):
        assert str(RuleSet._meta.get_field("discipline_reset").help_text) in content
    assert 'name="voting_thresholds-0-threshold_pct"' in content


def test_the_add_page_offers_the_defaults(staff_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse("admin:awards_ruleset_add"))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form["min_months_employed"].value() == 6
    assert form["leader_gate_required_unit_title"].value() == "TTLDXS"


def test_the_add_page_refuses_an_overlap_and_keeps_what_was_typed(staff_client):
    data = {
        "code": "RS-X",
        "name": "Bộ thử",
        "sector": "tnmt",
        "legal_bases": "Luật",
        "effective_from": "01/01/2025",
        **{
            name: value
            for name, value in _form_defaults().items()
            if name not in {"code", "name", "sector", "legal_bases", "effective_from"}
        },
        "voting_thresholds-TOTAL_FORMS": "0",
        "voting_thresholds-INITIAL_FORMS": "0",
    }

    response = staff_client.post(reverse("admin:awards_ruleset_add"), data)

    assert response.status_code == 200
    assert (
        response.context["adminform"]
        .form.errors["effective_from"][0]
        .startswith("Thời gian hiệu lực trùng với bộ quy tắc RS-2024")
    )
    assert response.context["adminform"].form["name"].value() == "Bộ thử"
    assert RuleSet.objects.count() == 2


def _form_defaults() -> dict:
    values = {}
    for name in NAMES:
        value = getattr(Parameters(), name)
        if isinstance(value, bool):
            if value:
                values[name] = "on"
        elif isinstance(value, tuple):
            values[name] = '["' + '", "'.join(value) + '"]'
        elif value is None:
            values[name] = ""
        else:
            values[name] = str(value)
    values |= {"quorum_numerator": "2", "quorum_denominator": "3"}
    return values


def test_the_copy_action_asks_then_copies(staff_client):
    source = RuleSet.objects.get(code="RS-2025-07")
    url = reverse("admin:awards_ruleset_changelist")
    chosen = {"action": "copy_as_new", "_selected_action": [source.pk]}

    asked = staff_client.post(url, chosen)
    done = staff_client.post(
        url,
        {
            **chosen,
            "confirm": "1",
            "code": "RS-2026",
            "name": "Mới",
            "effective_from": "01/01/2026",
        },
    )

    assert asked.status_code == 200
    assert asked.context["form"]["code"].value() == "RS-2025-07-copy"
    copy = RuleSet.objects.get(code="RS-2026")
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:awards_ruleset_change", args=[copy.pk])
    assert copy.effective_from == dt.date(2026, 1, 1)
    assert RuleSet.objects.get(code="RS-2025-07").effective_to == dt.date(2025, 12, 31)


def test_the_copy_action_shows_a_refusal_and_saves_nothing(staff_client):
    source = RuleSet.objects.get(code="RS-2025-07")

    response = staff_client.post(
        reverse("admin:awards_ruleset_changelist"),
        {
            "action": "copy_as_new",
            "_selected_action": [source.pk],
            "confirm": "1",
            "code": "RS-2024",
            "name": "Trùng mã",
            "effective_from": "01/01/2026",
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]
    assert RuleSet.objects.get(code="RS-2025-07").effective_to is None
    assert RuleSet.objects.count() == 2


def test_the_database_refuses_a_share_above_one():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSet.objects.filter(code="RS-2024").update(cstdcs_cap_share=Decimal("1.5"))

    assert RuleSet.objects.get(code="RS-2024").cstdcs_cap_share == Decimal("0.15")


def test_the_add_page_saves_a_set_of_another_sector(staff_client):
    data = {
        **_form_defaults(),
        "code": "BGD-2025",
        "name": "Ngành giáo dục",
        "sector": "bgddt",
        "legal_bases": "Thông tư 29/2023/TT-BGDĐT",
        "effective_from": "01/07/2025",
        "effective_to": "",
        "leader_gate_required_unit_title": "",
        "cstdcs_cap_share": "0.2",
        "voting_thresholds-TOTAL_FORMS": "0",
        "voting_thresholds-INITIAL_FORMS": "0",
    }

    response = staff_client.post(reverse("admin:awards_ruleset_add"), data)

    assert response.status_code == 302
    saved = RuleSet.objects.get(code="BGD-2025")
    assert saved.parameters() == Parameters(
        leader_gate_required_unit_title=None, cstdcs_cap_share=Decimal("0.2")
    )
    assert in_force(dt.date(2025, 7, 1), sector="bgddt")[0] == "BGD-2025"
