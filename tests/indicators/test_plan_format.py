"""Plan import and export (spec section 2): every rule checked, every problem
listed at once, and the canonical form round-trips."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from indicators.errors import InvalidInput
from indicators.numbers import dump_json
from indicators.plan_format import (
    MSG_NA_SCORE_MISSING,
    MSG_POINTS_MISMATCH,
    parse_plan,
    plan_to_dict,
)
from indicators.spec import Component
from tests.indicators.builders import category, leaf, plan_dict

DEMO = Path(__file__).resolve().parents[2] / "assessment" / "demo_data"
MANUAL = {"type": "manual"}


def demo_plan_dict() -> dict[str, Any]:
    text = (DEMO / "plan-2026.json").read_text(encoding="utf-8")
    return json.loads(text, parse_float=Decimal)


def problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as caught:
        parse_plan(data)
    return [(p.path, p.code) for p in caught.value.problems]


def messages(data: Any) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        parse_plan(data)
    return [p.message for p in caught.value.problems]


def test_the_example_plan_parses_with_its_tree_precomputed() -> None:
    plan = parse_plan(demo_plan_dict())
    assert [leaf.code for leaf in plan.leaves] == [
        "A1",
        "A2",
        "A3",
        "A4",
        "B1",
        "B2",
        "C1",
        "C2",
        "D1",
        "E1",
        "X1",
        "X2",
        "Y1",
        "Y2",
        "Z1",
        "Z2",
    ]
    assert plan.parents["A1"] == "A" and plan.parents["A"] is None
    [root] = plan.units
    assert root.full == 100 and len(root.parts) == 10
    assert plan.veto.max_grade == "fair" and plan.grades[0].quota == Fraction(3, 10)


def test_the_example_plan_round_trips() -> None:
    plan = parse_plan(demo_plan_dict())
    out = plan_to_dict(plan)
    assert parse_plan(out) == plan
    # and through JSON text, numbers staying numbers
    text = dump_json(out)
    assert '"quota": 0.3' in text
    assert parse_plan(json.loads(text, parse_float=Decimal)) == plan
    assert plan_to_dict(parse_plan(out)) == out


def test_a_category_points_mismatch_names_the_category_and_both_sums() -> None:
    data = plan_dict(
        [
            category(
                "A",
                [leaf("A1", MANUAL, points=20), leaf("A2", MANUAL, points=15)],
                points=40,
            )
        ]
    )
    assert problems(data) == [("indicators[0].points", "points_mismatch")]
    assert messages(data) == [
        MSG_POINTS_MISMATCH.format(code="A", name="类别A", points="40", total="35")
    ]


def test_bonus_penalty_and_veto_leaves_do_not_count_in_category_points() -> None:
    data = plan_dict(
        [
            category(
                "A",
                [
                    leaf("A1", MANUAL, points=20),
                    leaf("A2", {"type": "manual", "max": 3}, role="bonus"),
                    leaf("A3", {"type": "events", "per": 1}, role="penalty"),
                    leaf("A4", {"type": "events"}, role="veto"),
                ],
                points=20,
            )
        ]
    )
    assert parse_plan(data).nodes["A"].points == 20


def test_nested_categories_and_scaled_categories_count_their_own_points() -> None:
    # A (100) = B (40: B1 25 + B2 15) + S (60, scaled; its children add up to 100)
    data = plan_dict(
        [
            category(
                "A",
                [
                    category(
                        "B",
                        [leaf("B1", MANUAL, points=25), leaf("B2", MANUAL, points=15)],
                        points=40,
                    ),
                    category(
                        "S",
                        [leaf("S1", MANUAL, points=70), leaf("S2", MANUAL, points=30)],
                        points=60,
                        scaled=True,
                    ),
                ],
                points=100,
            )
        ]
    )
    plan = parse_plan(data)
    root, scaled = plan.units[1], plan.units[0]
    assert scaled.code == "S" and scaled.full == 100 and scaled.points == 60
    assert root.code is None and root.full == 100
    assert [(p.leaf, p.unit) for p in root.parts] == [(0, -1), (1, -1), (-1, 0)]


def test_scaled_categories_need_points_and_basic_items() -> None:
    data = plan_dict(
        [
            category("S", [leaf("S1", MANUAL, points=100)], scaled=True),
            category(
                "T",
                [leaf("T1", {"type": "manual", "max": 1}, role="bonus")],
                points=5,
                scaled=True,
            ),
        ]
    )
    assert problems(data) == [
        ("indicators[0].points", "scaled_needs_points"),
        ("indicators[1]", "scaled_without_basic"),
    ]


def test_unknown_codes_are_refused() -> None:
    data = plan_dict(
        [leaf("A1", MANUAL, groups=["g1", "g9"], department="nobody")],
        grades=[{"code": "a", "name": "优秀"}],
        veto={"max_grade": "b"},
    )
    data["periods"].append(
        {
            "code": "Y",
            "name": "年度",
            "composition": [{"period": "2026Q9", "weight": 1}],
        }
    )
    assert problems(data) == [
        ("periods[4].composition[0].period", "unknown_period"),
        ("veto.max_grade", "unknown_grade"),
        ("indicators[0].groups[1]", "unknown_group"),
        ("indicators[0].department", "unknown_department"),
    ]


def test_duplicate_codes_are_refused_within_their_kind() -> None:
    data = plan_dict([leaf("A1", MANUAL), category("B", [leaf("A1", MANUAL)])])
    data["groups"].append({"code": "g1", "name": "again"})
    assert problems(data) == [
        ("groups[2].code", "duplicate_code"),
        ("indicators[1].children[0].code", "duplicate_code"),
    ]


def test_a_bad_formula_is_reported_with_its_position() -> None:
    data = plan_dict(
        [category("E", [leaf("E1", {"type": "formula", "expr": "P * v / vmax )"})])]
    )
    [(path, code)] = problems(data)
    assert (path, code) == ("indicators[0].children[0].method.expr", "formula_error")
    [message] = messages(data)
    assert "第" in message and "个字符" in message and "P * v / vmax )" in message


def test_excess_step_problem_has_the_full_path() -> None:
    data = plan_dict(
        [
            category(
                "A",
                [
                    category(
                        "B",
                        [
                            leaf(
                                "B1",
                                {
                                    "type": "ratio",
                                    "excess": {"step": "0.1分", "points": 1, "max": 2},
                                },
                                target=10,
                            )
                        ],
                    )
                ],
            )
        ]
    )
    assert problems(data) == [
        ("indicators[0].children[0].children[0].method.excess.step", "not_a_number")
    ]


def test_methods_must_fit_the_role() -> None:
    data = plan_dict(
        [
            leaf("A1", {"type": "events", "per": 1}),
            leaf("A2", {"type": "ratio"}, role="bonus"),
            leaf("A3", {"type": "lottery"}),
            {**leaf("A4", MANUAL, role="bonus"), "points": 5},
        ]
    )
    assert problems(data) == [
        ("indicators[0].method.type", "method_not_for_role"),
        ("indicators[1].method.type", "method_not_for_role"),
        ("indicators[2].method.type", "unknown_method"),
        ("indicators[3].points", "points_off_basic"),
        ("indicators[3].method.max", "missing_field"),
    ]


def test_fixed_na_policy_needs_na_score_everywhere_it_can_apply() -> None:
    # exemptions can make any item N/A, so a plan-wide fixed needs every score
    data = plan_dict(
        [leaf("A1", MANUAL), leaf("A2", MANUAL, na_score=6)], na_policy="fixed"
    )
    assert problems(data) == [("indicators[0].na_score", "missing_na_score")]
    assert messages(data) == [MSG_NA_SCORE_MISSING.format(code="A1")]
    data = plan_dict(
        [
            leaf("A1", MANUAL, na_policy="fixed", na_score=11),
            leaf("A2", MANUAL, na_score=1),
        ]
    )
    assert problems(data) == [
        ("indicators[0].na_score", "na_score_above_points"),
        ("indicators[1].na_score", "na_score_unused"),
    ]


def test_ratio_target_must_be_positive() -> None:
    data = plan_dict([leaf("A1", {"type": "ratio"}, target=0)])
    assert problems(data) == [("indicators[0].target", "target_not_positive")]


def test_compositions_take_fractions_and_refuse_cycles() -> None:
    data = plan_dict([leaf("A1", MANUAL)])
    data["periods"][3]["composition"] = [
        {"period": "2026Q1", "weight": "1/3"},
        {"period": "2026Q2", "weight": "2/3"},
    ]
    plan = parse_plan(data)
    assert plan.period("2026H1").composition == (  # type: ignore[union-attr]
        Component("2026Q1", Fraction(1, 3)),
        Component("2026Q2", Fraction(2, 3)),
    )
    assert parse_plan(plan_to_dict(plan)) == plan
    data["periods"] += [
        {"code": "X", "name": "x", "composition": [{"period": "Y", "weight": 1}]},
        {
            "code": "Y",
            "name": "y",
            "composition": [
                {"period": "X", "weight": 1},
                {"period": "2026Q1", "weight": "0"},
            ],
        },
    ]
    assert problems(data) == [
        ("periods[5].composition[1].weight", "not_a_weight"),
        ("periods[4].composition", "composition_cycle"),
        ("periods[5].composition", "composition_cycle"),
    ]


def test_grades_must_come_best_first_with_sane_quotas() -> None:
    data = plan_dict(
        [leaf("A1", MANUAL)],
        grades=[
            {"code": "a", "name": "优秀", "min": 80, "quota": "1.2"},
            {"code": "b", "name": "良好", "min": 90, "count": 0},
        ],
    )
    assert problems(data) == [
        ("grades[0].quota", "out_of_range"),
        ("grades[1].count", "out_of_range"),
        ("grades[1].min", "grade_order"),
    ]


def test_periods_need_ordered_dates() -> None:
    data = plan_dict([leaf("A1", MANUAL)])
    data["periods"][1]["end"] = "2025-12-31"
    data["periods"][2]["start"] = "2026年4月1日"
    assert problems(data) == [
        ("periods[1].end", "date_order"),
        ("periods[2].start", "not_a_date"),
    ]


def test_numbers_written_as_text_or_floats_are_refused_with_their_place() -> None:
    data = plan_dict(
        [leaf("A1", MANUAL, points="１０"), leaf("A2", MANUAL, points=10.0)],
        bonus_cap="10分",
    )
    assert problems(data) == [
        ("bonus_cap", "not_a_number"),
        ("indicators[0].points", "not_a_number"),
        ("indicators[1].points", "not_a_number"),
    ]


def test_unknown_fields_and_wrong_format_are_refused() -> None:
    data = plan_dict([leaf("A1", MANUAL, pionts=3)], format="assessment-plan/2")
    data["quota"] = 1
    assert problems(data) == [
        ("quota", "unknown_field"),
        ("format", "wrong_format"),
        ("indicators[0].pionts", "unknown_field"),
    ]
    assert problems([]) == [("", "not_an_object")]


def test_fifty_problems_are_all_reported_with_their_paths() -> None:
    defects: list[tuple[dict[str, Any], str, str]] = [
        ({"points": "95分"}, "points", "not_a_number"),
        ({"groups": ["g9"]}, "groups[0]", "unknown_group"),
        ({"department": "nobody"}, "department", "unknown_department"),
        ({"method": {"type": "lottery"}}, "method.type", "unknown_method"),
        (
            {"method": {"type": "formula", "expr": "v +* 2"}},
            "method.expr",
            "formula_error",
        ),
        (
            {"method": {"type": "tiers", "tiers": [{"min": 1, "score": 99}]}},
            "method.tiers[0].score",
            "above_points",
        ),
        (
            {"method": {"type": "checklist", "items": [{"id": "a", "points": 1}]}},
            "method.items",
            "checklist_sum",
        ),
        (
            {"method": {"type": "ratio", "excess": {"points": 1, "max": 1}}},
            "method.excess.step",
            "missing_field",
        ),
        ({"pionts": 3}, "pionts", "unknown_field"),
        (
            {"method": {"type": "events", "per": 1}},
            "method.type",
            "method_not_for_role",
        ),
    ]
    indicators = []
    expected = []
    for i in range(50):
        change, where, code = defects[i % len(defects)]
        item = leaf(f"L{i:02}", MANUAL)
        item.update(copy.deepcopy(change))
        indicators.append(item)
        expected.append((f"indicators[{i}].{where}", code))
    with pytest.raises(InvalidInput) as caught:
        parse_plan(plan_dict(indicators))
    found = [(p.path, p.code) for p in caught.value.problems]
    assert found == expected
    assert len(caught.value.problems) == 50
    assert caught.value.message == "输入有 50 处错误,未写入任何数据"
    assert all(p.message for p in caught.value.problems)


def test_plan_to_dict_spells_out_defaults() -> None:
    plan = parse_plan(plan_dict([leaf("A1", {"type": "ratio"}, target=5)]))
    out = plan_to_dict(plan)
    assert out["rounding"] == "item" and out["grade_scope"] == "group"
    assert out["veto"] == {
        "max_grade": None,
        "grade_drop": 0,
        "total": "keep",
        "rank": "keep",
    }
    assert out["indicators"][0]["method"] == {
        "type": "ratio",
        "cap": 1,
        "floor": 0,
        "direction": "higher",
    }
