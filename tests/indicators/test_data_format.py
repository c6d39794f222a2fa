"""Period data import (spec section 3): every error listed with its position."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from indicators.data_format import (
    MSG_DUPLICATE_PAIR,
    MSG_MISSING_TARGET,
    parse_period_data,
    period_data_to_dict,
)
from indicators.errors import InvalidInput
from indicators.numbers import dump_json
from indicators.plan_format import parse_plan
from indicators.spec import Plan

DEMO = Path(__file__).resolve().parents[2] / "assessment" / "demo_data"


def load(name: str) -> Any:
    text = (DEMO / name).read_text(encoding="utf-8")
    return json.loads(text, parse_float=Decimal)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return parse_plan(load("plan-2026.json"))


@pytest.fixture
def data() -> dict[str, Any]:
    return copy.deepcopy(load("data-2026Q1.json"))


def problems(data: Any, plan: Plan, **kw: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as caught:
        parse_period_data(data, plan, **kw)
    return [(p.path, p.code) for p in caught.value.problems]


def test_the_example_data_parses_and_round_trips(plan: Plan, data: dict) -> None:
    inputs = parse_period_data(data, plan, period="2026Q1")
    assert len(inputs.townships) == 7 and len(inputs.records) == 60
    assert inputs.records_by_item["A4"]["T03"].grade == "A"
    assert inputs.targets_by_item["A1"]["T05"] == 1500
    # events come (date, id) ordered, history first
    assert inputs.events_by_item["Y1"][0].id == "E-2025-31"
    again = parse_period_data(period_data_to_dict(inputs), plan)
    assert again == inputs
    text = dump_json(period_data_to_dict(inputs))
    assert parse_period_data(json.loads(text, parse_float=Decimal), plan) == inputs


def test_unknown_codes_are_errors(plan: Plan, data: dict) -> None:
    data["records"] += [
        {"township": "T99", "indicator": "A1", "value": 1},
        {"township": "T01", "indicator": "Q9", "value": 1},
        {"township": "T03", "indicator": "A", "value": 1},
    ]
    data["records"][21]["grade"] = "E"  # T03 A4
    data["records"][38]["items"] = ["plan", "bribe"]  # T01 C2
    data["events"][1]["type"] = "huge"
    data["awards"][0]["level"] = "galactic"
    data["townships"][0]["group"] = "zz"
    assert problems(data, plan) == [
        ("townships[0].group", "unknown_group"),
        ("records[21].grade", "unknown_grade"),
        ("records[38].items[1]", "unknown_item"),
        ("records[60].township", "unknown_township"),
        ("records[61].indicator", "unknown_indicator"),
        ("records[62].indicator", "not_a_leaf"),
        ("events[1].type", "unknown_event_type"),
        ("awards[0].level", "unknown_level"),
    ]


def test_a_second_record_for_the_same_pair_is_an_error(plan: Plan, data: dict) -> None:
    data["records"].append({"township": "T01", "indicator": "A1", "value": 5})
    with pytest.raises(InvalidInput) as caught:
        parse_period_data(data, plan)
    [problem] = caught.value.problems
    assert (problem.path, problem.code) == ("records[60]", "duplicate_pair")
    assert problem.message == MSG_DUPLICATE_PAIR.format(
        owner="填报数据 records[60]", township="T01", indicator="A1", first="records[0]"
    )


def test_a_checklist_item_listed_twice_is_an_error(plan: Plan, data: dict) -> None:
    data["records"][39]["items"] = ["plan", "ledger", "plan"]
    assert problems(data, plan) == [("records[39].items[2]", "item_twice")]


def test_values_of_the_wrong_kind_are_errors(plan: Plan, data: dict) -> None:
    data["records"][0]["value"] = "3600万元"
    data["records"][1]["value"] = 2400.0  # a float: not read exactly
    data["records"][7]["value"] = "1,286"
    data["records"][21]["grade"] = 1
    data["records"][38]["items"] = "plan"
    data["records"][45]["score"] = "九十五"
    data["records"][46] = {"township": "T02", "indicator": "D1", "value": 13}
    assert problems(data, plan) == [
        ("records[0].value", "not_a_number"),
        ("records[1].value", "not_a_number"),
        ("records[7].value", "not_a_number"),
        ("records[21].grade", "not_text"),
        ("records[38].items", "not_a_text_list"),
        ("records[45].score", "not_a_number"),
        ("records[46].value", "wrong_record_field"),
        ("records[46].score", "missing_field"),
    ]


def test_manual_scores_must_lie_within_points(plan: Plan, data: dict) -> None:
    data["records"][45]["score"] = 16  # D1 is worth 15
    data["records"][59]["score"] = -1  # X2, bonus max 4
    assert problems(data, plan) == [
        ("records[45].score", "score_out_of_range"),
        ("records[59].score", "score_out_of_range"),
    ]


def test_a_missing_target_is_an_error_where_it_is_needed(plan: Plan) -> None:
    from tests.indicators.builders import data_dict, make_plan, rec

    small = make_plan(
        [
            {
                "code": "R",
                "name": "比率",
                "role": "basic",
                "points": 10,
                "method": {"type": "ratio"},
                "groups": ["g1"],
            }
        ]
    )
    data = data_dict(
        {"A": "g1", "B": "g1", "C": "g2"},
        records=[rec("A", "R", value=5), rec("C", "R", value=5)],
        targets=[{"township": "B", "indicator": "R", "target": 0}],
    )
    with pytest.raises(InvalidInput) as caught:
        parse_period_data(data, small)
    # C's item is N/A (group g2): its record is kept and needs no target
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("targets[0].target", "target_not_positive"),
        ("records[0]", "missing_target"),
    ]
    assert caught.value.problems[1].message == MSG_MISSING_TARGET.format(
        owner="填报数据 records[0]", code="R", township="A"
    )


def test_events_after_the_period_are_errors_and_history_is_kept(
    plan: Plan, data: dict
) -> None:
    data["events"][0]["date"] = "2025-01-01"  # history: fine
    data["events"][3]["date"] = "2026-04-01"  # after 2026Q1 ends
    data["events"][4]["date"] = "2026-02-30"
    assert problems(data, plan) == [
        ("events[3].date", "event_after_period"),
        ("events[4].date", "not_a_date"),
    ]


def test_events_and_awards_need_unique_ids_and_fitting_items(
    plan: Plan, data: dict
) -> None:
    data["events"][1]["id"] = data["events"][0]["id"]
    data["events"].append(
        {"id": "E-x", "township": "T01", "indicator": "X1", "date": "2026-01-02"}
    )
    data["awards"].append(
        {"id": "W-01", "township": "T01", "indicator": "Y1", "level": "city"}
    )
    data["records"].append({"township": "T01", "indicator": "B2", "value": 1})
    assert problems(data, plan) == [
        ("records[60].indicator", "no_records_for_item"),
        ("events[1].id", "duplicate_id"),
        ("events[10].indicator", "wrong_source"),
        ("awards[6].id", "duplicate_id"),
        ("awards[6].indicator", "wrong_source"),
    ]


def test_events_need_a_type_where_points_go_by_type(plan: Plan, data: dict) -> None:
    del data["events"][1]["type"]  # Y1 deducts per_type
    del data["events"][7]["type"]  # Y2 deducts per event: no type needed
    assert problems(data, plan) == [("events[1].type", "missing_field")]


def test_exemptions_name_leaf_items(plan: Plan, data: dict) -> None:
    data["exemptions"] = [
        {"township": "T05", "indicator": "A1", "reason": "洪灾免考"},
        {"township": "T05", "indicator": "A", "reason": "整类免考"},
        {"township": "T05", "indicator": "A1", "reason": "again"},
        {"township": "T06", "indicator": "A2"},
    ]
    assert problems(data, plan) == [
        ("exemptions[1].indicator", "exemption_on_category"),
        ("exemptions[2]", "duplicate_pair"),
        ("exemptions[3].reason", "missing_field"),
    ]


def test_exempted_pairs_keep_their_records(plan: Plan, data: dict) -> None:
    data["exemptions"] = [{"township": "T05", "indicator": "A1", "reason": "洪灾免考"}]
    inputs = parse_period_data(data, plan)
    assert ("T05", "A1") in inputs.exempt
    assert "T05" in inputs.records_by_item["A1"]


def test_the_file_must_belong_to_the_plan_and_a_data_period(
    plan: Plan, data: dict
) -> None:
    data["plan"] = "2025-xz"
    data["period"] = "2026Q2"
    assert problems(data, plan, period="2026Q1") == [
        ("plan", "wrong_plan"),
        ("period", "other_period"),
    ]
    data["plan"] = "2026-xz"
    data["period"] = "2026Q9"
    assert problems(data, plan) == [("period", "unknown_period")]


def test_a_composite_period_has_no_data_of_its_own() -> None:
    from tests.indicators.builders import data_dict, make_plan

    small = make_plan(
        [
            {
                "code": "M",
                "name": "m",
                "role": "basic",
                "points": 5,
                "method": {"type": "manual"},
            }
        ]
    )
    assert problems(data_dict({"A": "g1"}, period="2026H1"), small) == [
        ("period", "composite_period")
    ]


def test_duplicate_townships_and_bad_shapes(plan: Plan, data: dict) -> None:
    data["townships"].append({"code": "T01", "name": "重复", "group": "jd"})
    data["records"][3] = ["T04", "A1", 5600]
    data["colour"] = "red"
    assert problems(data, plan) == [
        ("colour", "unknown_field"),
        ("townships[7].code", "duplicate_code"),
        ("records[3]", "not_an_object"),
    ]
    assert problems("not a dict", plan) == [("", "not_an_object")]


def test_all_problems_come_together(plan: Plan, data: dict) -> None:
    for i in range(0, 60, 2):
        data["records"][i]["value" if "value" in data["records"][i] else "township"] = (
            "坏数据"
        )
    with pytest.raises(InvalidInput) as caught:
        parse_period_data(data, plan)
    paths = [p.path for p in caught.value.problems]
    assert len(paths) == 30
    assert len(set(paths)) == 30


def test_event_dates_are_dates(plan: Plan, data: dict) -> None:
    inputs = parse_period_data(data, plan)
    assert all(isinstance(e.date, date) for e in inputs.events)


def test_a_bad_township_entry_does_not_cascade_to_its_records(
    plan: Plan, data: dict
) -> None:
    del data["townships"][0]["name"]
    data["townships"][1]["group"] = "nowhere"
    assert problems(data, plan) == [
        ("townships[0].name", "missing_field"),
        ("townships[1].group", "unknown_group"),
    ]
