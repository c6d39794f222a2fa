"""The spec's worked example, computed end to end from the demo data."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from assessment.engine import compute_period
from assessment.result_format import dump_result_json, result_to_dict
from indicators.data_format import parse_period_data
from indicators.methods import explain
from indicators.plan_format import parse_plan

DEMO = Path(__file__).resolve().parents[2] / "assessment" / "demo_data"


def _load(name: str) -> object:
    return json.loads((DEMO / name).read_text(encoding="utf-8"), parse_float=Decimal)


def _compute() -> tuple[object, object]:
    plan = parse_plan(_load("plan-2026.json"))  # type: ignore[arg-type]
    inputs = parse_period_data(_load("data-2026Q1.json"), plan)  # type: ignore[arg-type]
    return plan, compute_period(plan, inputs)


def test_the_worked_example_gives_the_expected_result() -> None:
    plan, result = _compute()
    expected = json.loads((DEMO / "expected-2026Q1.json").read_text(encoding="utf-8"))
    assert result_to_dict(plan, result) == expected  # type: ignore[arg-type]


def test_the_result_text_is_byte_stable() -> None:
    plan, result = _compute()
    text = dump_result_json(result_to_dict(plan, result))  # type: ignore[arg-type]
    assert text == (DEMO / "expected-2026Q1.json").read_text(encoding="utf-8")


def test_explanations_say_why_in_exact_figures() -> None:
    # T01 E1: 10 × 88 ÷ 95 = 9.2631… → 9.26;  T03 Y1: 2nd event of the episode
    plan, result = _compute()
    t01 = result.township("T01")  # type: ignore[attr-defined]
    assert explain(t01.item("E1").why) == {"v": "88", "t": "0", "raw": "176/19"}
    t03 = result.township("T03")  # type: ignore[attr-defined]
    assert explain(t03.item("Y1").why) == {"events": "E-2026-02 4"}
    with_why = result_to_dict(plan, result, explanations=True)  # type: ignore[arg-type]
    assert with_why["townships"][0]["indicators"]["A1"]["why"]["r"] == "1.2"
