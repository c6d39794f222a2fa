"""Totals, N/A, scaled categories, rounding, veto, ranking, grades and composite
periods (spec sections 1, 6, 7, 8), each worked by hand in the comments."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from assessment.engine import PeriodResult, compose_period, compute_period
from assessment.result_format import result_to_dict
from indicators.errors import InvalidInput
from indicators.spec import Plan
from tests.indicators.builders import (
    BASE_PLAN,
    Q1,
    Q2,
    category,
    event,
    leaf,
    make_inputs,
    make_plan,
    rec,
    run,
    scores,
    totals,
)

ROOT = Path(__file__).resolve().parents[2]
MANUAL = {"type": "manual"}


# --- rounding ------------------------------------------------------------------


def thirds_plan(rounding: str) -> Plan:
    items = [
        leaf(f"A{i}", {"type": "ratio", "cap": 2}, points=10, target=3)
        for i in range(3)
    ]
    return make_plan(items, rounding=rounding)


def test_item_rounding_adds_rounded_scores() -> None:
    # each 10 × 1 ÷ 3 = 3.333… → 3.33; basic = 3.33 × 3 = 9.99
    result = run(
        thirds_plan("item"),
        {"T": "g1"},
        records=[rec("T", f"A{i}", value=1) for i in range(3)],
    )
    assert scores(result, "T") == {"A0": "3.33", "A1": "3.33", "A2": "3.33"}
    assert totals(result, "T") == ("9.99", "9.99", "0.00", "0.00")


def test_final_rounding_publishes_each_figure_from_its_exact_value() -> None:
    # exact basic 10/3 × 3 = 10 → 10.00, though the items print 3.33 each
    result = run(
        thirds_plan("final"),
        {"T": "g1"},
        records=[rec("T", f"A{i}", value=1) for i in range(3)],
    )
    assert scores(result, "T") == {"A0": "3.33", "A1": "3.33", "A2": "3.33"}
    assert totals(result, "T") == ("10.00", "10.00", "0.00", "0.00")


def spec_example_plan(rounding: str) -> Plan:
    return make_plan(
        [
            leaf("D1", MANUAL, points=50),
            leaf("D2", MANUAL, points=50),
            leaf("X", {"type": "manual", "max": 20}, role="bonus"),
        ],
        rounding=rounding,
    )


SPEC_RECORDS = [
    rec("T", "D1", score="39.3125"),
    rec("T", "D2", score="39.3125"),
    rec("T", "X", score="12.9825"),
]


def test_final_rounding_prints_78_625_plus_12_9825_as_91_61() -> None:
    # basic 39.3125 × 2 = 78.625 → 78.63; bonus 12.9825 → 12.98;
    # total 91.6075 → 91.61, though the printed items 39.31 + 39.31 + 12.98 = 91.60
    result = run(spec_example_plan("final"), {"T": "g1"}, records=SPEC_RECORDS)
    assert scores(result, "T") == {"D1": "39.31", "D2": "39.31", "X": "12.98"}
    assert totals(result, "T") == ("91.61", "78.63", "12.98", "0.00")


def test_item_rounding_of_the_same_figures_adds_up_to_91_60() -> None:
    # 39.31 + 39.31 = 78.62;  78.62 + 12.98 = 91.60
    result = run(spec_example_plan("item"), {"T": "g1"}, records=SPEC_RECORDS)
    assert totals(result, "T") == ("91.60", "78.62", "12.98", "0.00")


def test_precision_sets_the_printed_places() -> None:
    plan = make_plan([leaf("A", {"type": "ratio"}, points=10, target=3)], precision=3)
    result = run(plan, {"T": "g1"}, records=[rec("T", "A", value=1)])
    assert result_to_dict(plan, result)["townships"][0]["total"] == "3.333"


def test_a_tiny_penalty_is_printed_without_sign() -> None:
    plan = make_plan(
        [
            leaf("M", MANUAL, points=10),
            leaf("P", {"type": "manual", "max": 1}, role="penalty"),
        ]
    )
    result = run(
        plan,
        {"T": "g1"},
        records=[rec("T", "M", score=5), rec("T", "P", score="0.004")],
    )
    out = result_to_dict(plan, result)["townships"][0]
    assert out["indicators"]["P"] == {"score": "0.00"}
    assert out["penalty"] == "0.00" and out["total"] == "5.00"


# --- N/A -----------------------------------------------------------------------


def na_plan(policy: str | None = None, **extra: Any) -> Plan:
    a1: dict[str, Any] = leaf("A1", MANUAL, points=60, groups=["g1"])
    if policy:
        a1["na_policy"] = policy
    a1.update(extra)
    return make_plan([a1, leaf("A2", MANUAL, points=40)])


NA_TOWNSHIPS = {"G1": "g1", "H1": "g1", "G2": "g2"}
NA_RECORDS = [
    rec("G1", "A1", score=50),
    rec("H1", "A1", score="45.55"),
    rec("G1", "A2", score=40),
    rec("H1", "A2", score=40),
    rec("G2", "A2", score="33.33"),
]


def test_rescale_scales_the_other_items_up() -> None:
    # G2: A1 N/A; F = 100, A = 40, S = 33.33 → 33.33 × 100 ÷ 40 = 83.325 → 83.33
    result = run(na_plan(), NA_TOWNSHIPS, records=NA_RECORDS)
    assert totals(result, "G2")[1] == "83.33"
    assert "A1" not in result_to_dict(na_plan(), result)["townships"][1]["indicators"]


def test_full_counts_the_whole_points() -> None:
    # G2: 60 + 33.33 = 93.33
    plan = na_plan("full")
    result = run(plan, NA_TOWNSHIPS, records=NA_RECORDS)
    assert totals(result, "G2")[1] == "93.33"
    g1, g2, _h1 = result_to_dict(plan, result)["townships"]
    assert g2["code"] == "G2" and g2["indicators"]["A1"] == {
        "score": "60.00",
        "na": True,
    }
    assert g1["indicators"]["A1"] == {"score": "50.00"}


def test_mean_counts_the_mean_of_the_assessed_rounded_under_item_rounding() -> None:
    # A1 scores 50.00 and 45.55 → mean 47.775 → 47.78; G2: 47.78 + 33.33 = 81.11
    result = run(na_plan("mean"), NA_TOWNSHIPS, records=NA_RECORDS)
    assert scores(result, "G2") == {"A1": "47.78", "A2": "33.33"}
    assert totals(result, "G2")[1] == "81.11"


def test_mean_counts_townships_without_a_record_as_zero() -> None:
    # H1 has no A1 record → 0: mean (50 + 0) ÷ 2 = 25
    records = [r for r in NA_RECORDS if (r["township"], r["indicator"]) != ("H1", "A1")]
    result = run(na_plan("mean"), NA_TOWNSHIPS, records=records)
    assert scores(result, "G2")["A1"] == "25.00"


def test_mean_acts_as_rescale_when_no_township_is_assessed() -> None:
    # only g2 townships, or every g1 township exempted: A1 applies to nobody
    result = run(na_plan("mean"), {"G2": "g2"}, records=[rec("G2", "A2", score=20)])
    assert scores(result, "G2") == {"A2": "20.00"}
    assert totals(result, "G2")[1] == "50.00"  # 20 × 100 ÷ 40
    exempt = [
        {"township": t, "indicator": "A1", "reason": "免考"} for t in ("G1", "H1")
    ]
    result = run(na_plan("mean"), NA_TOWNSHIPS, records=NA_RECORDS, exemptions=exempt)
    assert totals(result, "G2")[1] == "83.33"


def test_fixed_counts_its_na_score() -> None:
    # 无此项任务的按45分计: 45 + 33.33 = 78.33
    result = run(na_plan("fixed", na_score=45), NA_TOWNSHIPS, records=NA_RECORDS)
    assert scores(result, "G2") == {"A1": "45.00", "A2": "33.33"}
    assert totals(result, "G2")[1] == "78.33"


def test_plan_wide_policy_applies_unless_the_item_has_its_own() -> None:
    plan = make_plan(
        [
            leaf("A1", MANUAL, points=60, groups=["g1"]),
            leaf("A2", MANUAL, points=40, groups=["g1"], na_policy="rescale"),
            leaf("A3", MANUAL, points=100),
        ],
        na_policy="full",
    )
    result = run(plan, {"G2": "g2"}, records=[rec("G2", "A3", score=50)])
    # A1 counts 60 (full); A2 rescales: F 200, A 160, S 110 → 110 × 200 ÷ 160 = 137.5
    assert totals(result, "G2")[1] == "137.50"


def test_an_exempted_item_is_na_for_that_township_only() -> None:
    exempt = [{"township": "G1", "indicator": "A2", "reason": "洪灾免考"}]
    result = run(na_plan(), NA_TOWNSHIPS, records=NA_RECORDS, exemptions=exempt)
    # G1: A2 exempted → 50 × 100 ÷ 60 = 83.33; H1 unchanged: 45.55 + 40 = 85.55
    assert scores(result, "G1") == {"A1": "50.00"}
    assert totals(result, "G1")[1] == "83.33"
    assert totals(result, "H1")[1] == "85.55"


def test_everything_na_gives_zero() -> None:
    plan = make_plan([leaf("A1", MANUAL, points=60, groups=["g1"])])
    result = run(plan, {"G2": "g2"})
    assert totals(result, "G2") == ("0.00", "0.00", "0.00", "0.00")


# --- scaled categories ------------------------------------------------------------


def field_and_questionnaire(rounding: str = "item") -> Plan:
    return make_plan(
        [
            category(
                "F",
                [leaf("F1", MANUAL, points=60), leaf("F2", MANUAL, points=40)],
                points=85,
                scaled=True,
            ),
            category("Q", [leaf("Q1", MANUAL, points=100)], points=15, scaled=True),
        ],
        rounding=rounding,
    )


FQ_RECORDS = [
    rec("T", "F1", score=55),
    rec("T", "F2", score="35.5"),
    rec("T", "Q1", score="88.1"),
]


def test_scaled_categories_weigh_their_parts_85_15() -> None:
    # field 85 × (55 + 35.5) ÷ 100 = 76.925 → 76.93;  questionnaire
    # 15 × 88.1 ÷ 100 = 13.215 → 13.22;  basic 76.93 + 13.22 = 90.15
    result = run(field_and_questionnaire(), {"T": "g1"}, records=FQ_RECORDS)
    assert totals(result, "T")[1] == "90.15"
    assert scores(result, "T") == {"F1": "55.00", "F2": "35.50", "Q1": "88.10"}


def test_scaled_categories_under_final_rounding() -> None:
    # 76.925 + 13.215 = 90.14 exactly
    result = run(field_and_questionnaire("final"), {"T": "g1"}, records=FQ_RECORDS)
    assert totals(result, "T")[1] == "90.14"


def nested_scaled_plan() -> Plan:
    # S (60, scaled) = S1 (50) + T (50, scaled: T1 10);  R1 40 beside it
    return make_plan(
        [
            category(
                "S",
                [
                    leaf("S1", MANUAL, points=50),
                    category(
                        "T",
                        [leaf("T1", MANUAL, points=10, groups=["g1"])],
                        points=50,
                        scaled=True,
                    ),
                ],
                points=60,
                scaled=True,
            ),
            leaf("R1", MANUAL, points=40),
        ]
    )


def test_nested_scaled_categories() -> None:
    # T: 50 × 7 ÷ 10 = 35;  S: 60 × (40 + 35) ÷ 100 = 45;  basic 45 + 30 = 75
    records = [
        rec("A", "S1", score=40),
        rec("A", "T1", score=7),
        rec("A", "R1", score=30),
    ]
    result = run(nested_scaled_plan(), {"A": "g1"}, records=records)
    assert totals(result, "A")[1] == "75.00"


def test_a_scaled_category_with_nothing_assessed_is_left_out_like_na() -> None:
    # B is g2: T1 N/A → T has A = 0 → T is N/A; S: 60 × 40 ÷ 50 = 48;
    # basic 48 + 30 = 78 (the root still has A = F)
    records = [rec("B", "S1", score=40), rec("B", "R1", score=30)]
    result = run(nested_scaled_plan(), {"B": "g2"}, records=records)
    assert totals(result, "B")[1] == "78.00"


def test_a_scaled_category_na_rescales_its_parent() -> None:
    plan = make_plan(
        [
            category(
                "S",
                [leaf("S1", MANUAL, points=100, groups=["g1"])],
                points=60,
                scaled=True,
            ),
            leaf("R1", MANUAL, points=40),
        ]
    )
    # B (g2): S is N/A; root F 100, A 40: 30 × 100 ÷ 40 = 75
    result = run(plan, {"B": "g2"}, records=[rec("B", "R1", score=30)])
    assert totals(result, "B")[1] == "75.00"


# --- bonus, penalty, caps ------------------------------------------------------------


def caps_plan(**top: Any) -> Plan:
    return make_plan(
        [
            leaf("M", MANUAL, points=100),
            leaf("B1", {"type": "manual", "max": 5}, role="bonus"),
            leaf("B2", {"type": "manual", "max": 5}, role="bonus"),
            leaf("P1", {"type": "manual", "max": 5}, role="penalty"),
            leaf("P2", {"type": "manual", "max": 5}, role="penalty"),
        ],
        **top,
    )


CAP_RECORDS = [
    rec("T", "M", score=80),
    rec("T", "B1", score=4),
    rec("T", "B2", score=3),
    rec("T", "P1", score=2),
    rec("T", "P2", score=2),
]


def test_bonus_and_penalty_caps() -> None:
    # bonus 4 + 3 = 7 → cap 5; penalty 2 + 2 = 4 → cap 3; total 80 + 5 − 3 = 82
    result = run(
        caps_plan(bonus_cap=5, penalty_cap=3), {"T": "g1"}, records=CAP_RECORDS
    )
    assert totals(result, "T") == ("82.00", "80.00", "5.00", "3.00")
    assert scores(result, "T")["P1"] == "-2.00"


def test_without_caps_everything_counts() -> None:
    result = run(caps_plan(), {"T": "g1"}, records=CAP_RECORDS)
    assert totals(result, "T") == ("83.00", "80.00", "7.00", "4.00")


# --- ranking ---------------------------------------------------------------------------


def standings_plan(**top: Any) -> Plan:
    return make_plan(
        [
            leaf("M", MANUAL, points=100),
            leaf("B", {"type": "manual", "max": 10}, role="bonus"),
            leaf("N", {"type": "manual", "max": 10}, role="penalty"),
            leaf("V", {"type": "events"}, role="veto"),
        ],
        **top,
    )


def standings(plan: Plan, rows: list[tuple[Any, ...]]) -> PeriodResult:
    """rows: (code, group, basic score, bonus, penalty, vetoed)."""
    records, events, townships = [], [], {}
    for code, group, m, b, n, vetoed in rows:
        townships[code] = group
        records.append(rec(code, "M", score=m))
        if b:
            records.append(rec(code, "B", score=b))
        if n:
            records.append(rec(code, "N", score=n))
        if vetoed:
            events.append(event(f"E-{code}", code, "V", "2026-02-01"))
    return run(plan, townships, records=records, events=events)


def placing(result: PeriodResult) -> dict[str, tuple[int, int, str | None]]:
    return {t.code: (t.rank, t.group_rank, t.grade) for t in result.townships}


def test_competition_ranks_share_and_skip() -> None:
    # 95, 90, 90, 80 → 1, 2, 2, 4; group ranks within g1 (A, B, D) and g2 (C)
    result = standings(
        standings_plan(),
        [
            ("A", "g1", 95, 0, 0, False),
            ("B", "g1", 90, 0, 0, False),
            ("C", "g2", 90, 0, 0, False),
            ("D", "g1", 80, 0, 0, False),
        ],
    )
    assert placing(result) == {
        "A": (1, 1, None),
        "B": (2, 2, None),
        "C": (2, 1, None),
        "D": (4, 3, None),
    }


def test_tie_break_keys_in_turn() -> None:
    rows = [
        ("A", "g1", 85, 5, 0, False),
        ("B", "g1", 88, 2, 0, False),
        ("C", "g1", 90, 2, 2, False),
        ("D", "g1", 91, 0, 1, False),
    ]
    # all totals 90. basic desc: D 91, C 90, B 88, A 85
    result = standings(standings_plan(tie_break=["basic"]), rows)
    assert [t.rank for t in result.townships] == [4, 3, 2, 1]
    # bonus desc: A 5; B, C 2 (then penalty asc: B 0 before C 2); D 0
    result = standings(standings_plan(tie_break=["bonus", "penalty"]), rows)
    assert [t.rank for t in result.townships] == [1, 2, 3, 4]
    # penalty asc only: A, B 0 share 1; D 1 → 3; C 2 → 4
    result = standings(standings_plan(tie_break=["penalty"]), rows)
    assert [t.rank for t in result.townships] == [1, 1, 4, 3]


def test_vetoed_townships_rank_last_ordered_among_themselves() -> None:
    plan = standings_plan(veto={"rank": "last"})
    result = standings(
        plan,
        [
            ("A", "g1", 99, 0, 0, True),
            ("B", "g1", 70, 0, 0, False),
            ("C", "g1", 98, 0, 0, True),
            ("D", "g1", 60, 0, 0, False),
        ],
    )
    assert {t.code: t.rank for t in result.townships} == {
        "A": 3,
        "B": 1,
        "C": 4,
        "D": 2,
    }
    assert result.township("A").veto_items == ("V",)


def test_veto_total_zero() -> None:
    plan = standings_plan(veto={"total": "zero"})
    result = standings(
        plan, [("A", "g1", 99, 3, 1, True), ("B", "g1", 70, 0, 0, False)]
    )
    assert totals(result, "A") == ("0.00", "99.00", "3.00", "1.00")
    assert result.township("A").rank == 2


def test_veto_keep_leaves_the_total_and_rank() -> None:
    result = standings(
        standings_plan(), [("A", "g1", 99, 0, 0, True), ("B", "g1", 70, 0, 0, False)]
    )
    assert totals(result, "A")[0] == "99.00" and result.township("A").rank == 1
    assert result.township("A").vetoed


# --- grades ----------------------------------------------------------------------------

GRADES = [
    {"code": "excellent", "name": "优秀", "min": 90, "quota": "0.5"},
    {"code": "good", "name": "良好", "min": 80, "count": 1},
    {"code": "fair", "name": "一般", "min": 60},
    {"code": "poor", "name": "较差"},
]
FOUR = [
    ("A", "g1", 95, 0, 0, False),
    ("B", "g1", 94, 0, 0, True),
    ("C", "g1", 93, 0, 0, False),
    ("D", "g1", 85, 0, 0, False),
]


def grade_of(result: PeriodResult) -> dict[str, str | None]:
    return {t.code: t.grade for t in result.townships}


def test_grade_drop_place_is_not_refilled_and_takes_no_room() -> None:
    # room: excellent ⌊0.5 × 4⌋ = 2, good 1. A, B excellent; C: excellent full →
    # good (room now 0); D: good full → fair. Then B drops one grade to good: its
    # excellent place stays empty (C is not promoted) and it takes no good room.
    plan = standings_plan(grades=GRADES, grade_scope="all", veto={"grade_drop": 1})
    result = standings(plan, FOUR)
    assert grade_of(result) == {"A": "excellent", "B": "good", "C": "good", "D": "fair"}


def test_max_grade_caps_a_vetoed_township() -> None:
    # B may be at best good: A, C excellent; B good (room 1 → 0); D good full → fair
    plan = standings_plan(grades=GRADES, grade_scope="all", veto={"max_grade": "good"})
    assert grade_of(standings(plan, FOUR)) == {
        "A": "excellent",
        "B": "good",
        "C": "excellent",
        "D": "fair",
    }


def test_grade_drop_never_goes_below_the_last_and_leaves_null() -> None:
    plan = standings_plan(grades=GRADES[:2], veto={"grade_drop": 5})
    result = standings(plan, [("A", "g1", 95, 0, 0, True), ("B", "g1", 50, 0, 0, True)])
    assert grade_of(result) == {"A": "good", "B": None}


def test_ties_that_do_not_fit_close_the_grade_for_everyone_below() -> None:
    grades = [
        {"code": "a", "name": "一等", "count": 2},
        {"code": "b", "name": "二等", "min": 86},
        {"code": "c", "name": "三等"},
    ]
    # A takes a (1 left); B and C share rank 2 and do not both fit: a closes;
    # D would fit the one place left but a is closed to everyone below; D 85 < 86
    result = standings(
        standings_plan(grades=grades),
        [
            ("A", "g1", 95, 0, 0, False),
            ("B", "g1", 90, 0, 0, False),
            ("C", "g1", 90, 0, 0, False),
            ("D", "g1", 85, 0, 0, False),
        ],
    )
    assert grade_of(result) == {"A": "a", "B": "b", "C": "b", "D": "c"}


def test_ties_that_fit_take_the_grade_together() -> None:
    grades = [{"code": "a", "name": "一等", "count": 3}, {"code": "b", "name": "二等"}]
    result = standings(
        standings_plan(grades=grades),
        [
            ("A", "g1", 95, 0, 0, False),
            ("B", "g1", 90, 0, 0, False),
            ("C", "g1", 90, 0, 0, False),
            ("D", "g1", 85, 0, 0, False),
        ],
    )
    assert grade_of(result) == {"A": "a", "B": "a", "C": "a", "D": "b"}


def test_quota_and_count_take_the_smaller_room() -> None:
    # quota 0.5 of 6 = 3, count 2 → 2
    grades = [
        {"code": "a", "name": "优", "quota": "0.5", "count": 2},
        {"code": "b", "name": "良"},
    ]
    rows = [(c, "g1", 99 - i, 0, 0, False) for i, c in enumerate("ABCDEF")]
    assert list(grade_of(standings(standings_plan(grades=grades), rows)).values()) == [
        "a",
        "a",
        "b",
        "b",
        "b",
        "b",
    ]


def test_grade_scope_group_versus_all() -> None:
    # min 90 quota 0.5: all (4): A 95, B 93 excellent, C 91 good.
    # by group (2 each): g1 A excellent, B good; g2 C excellent.
    grades = [
        {"code": "ex", "name": "优秀", "min": 90, "quota": "0.5"},
        {"code": "ok", "name": "合格", "min": 60},
    ]
    rows = [
        ("A", "g1", 95, 0, 0, False),
        ("B", "g1", 93, 0, 0, False),
        ("C", "g2", 91, 0, 0, False),
        ("D", "g2", 70, 0, 0, False),
    ]
    all_ = standings(standings_plan(grades=grades, grade_scope="all"), rows)
    assert grade_of(all_) == {"A": "ex", "B": "ex", "C": "ok", "D": "ok"}
    by_group = standings(standings_plan(grades=grades), rows)
    assert grade_of(by_group) == {"A": "ex", "B": "ok", "C": "ex", "D": "ok"}


def test_a_township_reaching_no_grade_has_null() -> None:
    grades = [
        {"code": "ex", "name": "优秀", "min": 90},
        {"code": "ok", "name": "合格", "min": 60},
    ]
    result = standings(standings_plan(grades=grades), [("A", "g1", 59, 0, 0, False)])
    assert grade_of(result) == {"A": None}
    assert (
        result_to_dict(standings_plan(grades=grades), result)["townships"][0]["grade"]
        is None
    )


def test_grades_after_a_catch_all_are_reached_only_through_veto() -> None:
    grades = [
        {"code": "ex", "name": "优秀", "min": 90},
        {"code": "pass", "name": "合格"},
        {"code": "fail", "name": "不合格"},
    ]
    plan = standings_plan(grades=grades, veto={"max_grade": "fail"})
    result = standings(
        plan, [("A", "g1", 10, 0, 0, False), ("B", "g1", 99, 0, 0, True)]
    )
    assert grade_of(result) == {"A": "pass", "B": "fail"}


def test_grades_are_decided_on_published_totals() -> None:
    # 89.995 publishes as 90.00, which reaches min 90
    grades = [{"code": "ex", "name": "优秀", "min": 90}]
    result = standings(
        standings_plan(grades=grades), [("A", "g1", "89.995", 0, 0, False)]
    )
    assert grade_of(result) == {"A": "ex"}


# --- events in the engine ----------------------------------------------------------------


def test_events_of_exempted_or_na_pairs_still_escalate_others() -> None:
    plan = make_plan(
        [
            leaf("M", MANUAL, points=10),
            leaf(
                "Y",
                {
                    "type": "events",
                    "per": 2,
                    "repeat": {"window_days": 30, "multipliers": [1, 3]},
                },
                role="penalty",
                groups=["g1"],
            ),
            leaf("Z", {"type": "events"}, role="veto"),
        ]
    )
    # C is g2 (Y N/A for it), its event still opens the episode: A's is the 2nd → 6
    events = [
        event("1", "C", "Y", "2026-01-10"),
        event("2", "A", "Y", "2026-01-20"),
        event("3", "B", "Z", "2026-02-01"),
    ]
    exempt = [{"township": "B", "indicator": "Z", "reason": "经认定不属责任事故"}]
    result = run(
        plan, {"A": "g1", "B": "g1", "C": "g2"}, events=events, exemptions=exempt
    )
    assert scores(result, "A") == {"M": "0.00", "Y": "-6.00", "Z": "-"}
    assert "Y" not in scores(result, "C")
    assert not result.township("B").vetoed and "Z" not in scores(result, "B")


# --- composite periods -----------------------------------------------------------------

THIRDS = [
    {
        "code": "H1",
        "name": "上半年",
        "composition": [
            {"period": Q1, "weight": "1/3"},
            {"period": Q2, "weight": "2/3"},
        ],
    }
]


def composite_plan(**top: Any) -> Plan:
    periods = [
        *BASE_PLAN["periods"][:3],
        *THIRDS,
        {"code": "Q3", "name": "三季度", "start": "2026-07-01", "end": "2026-09-30"},
        {
            "code": "Y",
            "name": "前三季度",
            "composition": [
                {"period": "H1", "weight": "0.5"},
                {"period": "Q3", "weight": 1},
            ],
        },
    ]
    return make_plan(
        [
            leaf("A1", MANUAL, points=60, groups=["g1"], na_policy="full"),
            leaf("A2", MANUAL, points=40),
            leaf("V", {"type": "events"}, role="veto"),
        ],
        periods=periods,
        **top,
    )


def period_result(
    plan: Plan,
    period: str,
    townships: dict[str, str],
    records: list[dict[str, Any]],
    events: Sequence[dict[str, Any]] = (),
) -> PeriodResult:
    inputs = make_inputs(
        plan, townships, period=period, records=records, events=list(events)
    )
    return compute_period(plan, inputs)


def test_composite_totals_are_weighted_sums_rounded_once_more() -> None:
    plan = composite_plan()
    q1 = period_result(
        plan, Q1, {"T": "g1"}, [rec("T", "A1", score="50.01"), rec("T", "A2", score=40)]
    )
    q2 = period_result(plan, Q2, {"T": "g2"}, [rec("T", "A2", score=20)])
    h1 = compose_period(plan, "H1", [(Fraction(1, 3), q1), (Fraction(2, 3), q2)])
    t = h1.township("T")
    # total 90.01 ÷ 3 + 80.00 × 2 ÷ 3 = 30.00333 + 53.33333 = 83.33666 → 83.34
    # (Q2: A1 N/A under full → 60 + 20 = 80)
    assert str(t.total) == "83.34"
    # A1: 50.01 ÷ 3 + 60 × 2 ÷ 3 = 16.67 + 40 = 56.67;
    # A2: 40 ÷ 3 + 20 × 2 ÷ 3 = 13.333 + 13.333 = 26.67
    assert scores(h1, "T") == {"A1": "56.67", "A2": "26.67", "V": "-"}
    # its group is the one of the last component
    assert t.group == "g2"


def test_an_indicator_missing_from_a_component_counts_zero_there() -> None:
    plan = make_plan(
        [leaf("A1", MANUAL, points=60, groups=["g1"]), leaf("A2", MANUAL, points=40)],
        periods=[*BASE_PLAN["periods"][:3], *THIRDS],
    )
    q1 = period_result(plan, Q1, {"T": "g1"}, [rec("T", "A1", score=30)])
    q2 = period_result(plan, Q2, {"T": "g2"}, [rec("T", "A2", score=30)])
    h1 = compose_period(plan, "H1", [(Fraction(1, 3), q1), (Fraction(2, 3), q2)])
    # A1: 30 ÷ 3 + 0 = 10; A2: 0 + 30 × 2 ÷ 3 = 20
    assert scores(h1, "T") == {"A1": "10.00", "A2": "20.00"}


def test_nested_composites_and_veto_propagation() -> None:
    plan = composite_plan(veto={"total": "zero"})
    towns = {"A": "g1", "B": "g1"}
    q1 = period_result(
        plan,
        Q1,
        towns,
        [rec("A", "A2", score=40), rec("B", "A2", score=30)],
        [event("E1", "B", "V", "2026-02-01")],
    )
    q2 = period_result(
        plan, Q2, towns, [rec("A", "A2", score=40), rec("B", "A2", score=40)]
    )
    q3 = period_result(
        plan, "Q3", towns, [rec("A", "A2", score=10), rec("B", "A2", score=40)]
    )
    h1 = compose_period(plan, "H1", [(Fraction(1, 3), q1), (Fraction(2, 3), q2)])
    y = compose_period(plan, "Y", [(Fraction(1, 2), h1), (Fraction(1), q3)])
    # A has no A1 record (0) so its total is its A2 score: 40, 40, 10.
    # H1: 40 ÷ 3 + 40 × 2 ÷ 3 = 40;  Y: 40 × 0.5 + 10 = 30.
    # B is vetoed in Q1, hence in H1 and Y, where total = zero makes it 0.
    a, b = y.township("A"), y.township("B")
    assert b.vetoed and b.veto_items == ("V",) and str(b.total) == "0.00"
    assert scores(y, "B")["V"] == "triggered"
    assert str(a.total) == "30.00"
    assert a.rank == 1 and b.rank == 2


def test_every_township_needs_every_component() -> None:
    plan = composite_plan()
    q1 = period_result(plan, Q1, {"A": "g1"}, [])
    q2 = period_result(plan, Q2, {"A": "g1", "B": "g1"}, [])
    with pytest.raises(InvalidInput) as caught:
        compose_period(plan, "H1", [(Fraction(1, 3), q1), (Fraction(2, 3), q2)])
    [problem] = caught.value.problems
    assert (problem.path, problem.code) == (
        "components[0].townships",
        "missing_township",
    )
    assert "B" in problem.message and Q1 in problem.message


def test_components_must_match_the_composition() -> None:
    plan = composite_plan()
    q1 = period_result(plan, Q1, {"A": "g1"}, [])
    with pytest.raises(InvalidInput) as caught:
        compose_period(plan, "H1", [(Fraction(1, 2), q1), (Fraction(1, 2), q1)])
    assert [p.code for p in caught.value.problems] == ["composition_mismatch"]
    with pytest.raises(InvalidInput):
        compose_period(plan, Q1, [(Fraction(1), q1)])


def test_compute_refuses_other_plans_and_composite_periods() -> None:
    plan = composite_plan()
    inputs = make_inputs(plan, {"A": "g1"})
    other = make_plan([leaf("A2", MANUAL, points=40)], code="other")
    with pytest.raises(InvalidInput) as caught:
        compute_period(other, inputs)
    assert caught.value.problems[0].code == "wrong_plan"


# --- purity -------------------------------------------------------------------------------


def test_the_engine_imports_without_django() -> None:
    code = (
        "import sys\n"
        "import assessment.engine, assessment.result_format\n"
        "import indicators.plan_format, indicators.data_format, indicators.methods\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules"
        " if m.startswith('django'))\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_results_hold_decimals_with_precision_places() -> None:
    result = run(thirds_plan("item"), {"T": "g1"}, records=[rec("T", "A0", value=1)])
    t = result.township("T")
    assert t.total == Decimal("3.33") and t.total.as_tuple().exponent == -2
    assert t.item("A1") is not None and t.item("A1").score == Decimal("0.00")  # type: ignore[union-attr]
