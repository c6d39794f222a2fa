"""Live preview of one indicator's score for a value typed in the plan editor.

The indicator is scored by the real engine, as the only item of a one-item
plan, against the latest period's data on that item (so benchmark, rank and
formula items compare with the other townships), plus one imaginary township
holding the typed value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assessment.engine import compute_period
from indicators.errors import InvalidInput, Problem
from indicators.methods import explain
from indicators.models import Plan
from indicators.numbers import format_fixed
from indicators.plan_format import parse_plan
from indicators.storage import find_node, plan_document
from townships.models import County, Participation
from townships.period_data import period_data_document

PREVIEW = "__preview__"
PREVIEW_NAME = "(预览)"
RECORD_FIELDS = {
    "ratio": "value",
    "tiers": "value",
    "benchmark": "value",
    "rank": "value",
    "formula": "value",
    "grade": "grade",
    "checklist": "items",
    "manual": "score",
}


@dataclass
class Preview:
    score: str | None = None
    why: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    compared_with: int = 0
    period: str = ""


def indicator_preview(
    *,
    county: County,
    plan_row: Plan,
    code: str,
    entry: dict[str, Any],
    target: Any = None,
) -> Preview:
    """Score `entry` (the record fields: value, grade, items or score)."""
    document = plan_document(plan_row)
    found = find_node(document["indicators"], code)
    if found is None or "children" in found[1]:
        return Preview()
    leaf = found[1]
    mini = {**document, "indicators": [leaf]}
    try:
        plan = parse_plan(mini)
    except InvalidInput as exc:
        return Preview(problems=exc.problems)
    group = (leaf.get("groups") or [g["code"] for g in document["groups"]] or [""])[0]
    data = _latest_data(county, plan, code)
    data["townships"].append({"code": PREVIEW, "name": PREVIEW_NAME, "group": group})
    data["records"].append({"township": PREVIEW, "indicator": code, **entry})
    if target not in (None, ""):
        data["targets"].append(
            {"township": PREVIEW, "indicator": code, "target": target}
        )
    try:
        from indicators.data_format import parse_period_data

        inputs = parse_period_data(data, plan)
    except InvalidInput as exc:
        own = [
            p
            for p in exc.problems
            if PREVIEW in p.message or p.path.startswith("records")
        ]
        return Preview(problems=own or exc.problems)
    item = compute_period(plan, inputs).township(PREVIEW).item(code)
    if item is None or item.score is None:
        return Preview(problems=[])
    return Preview(
        score=format_fixed(item.score),
        why=explain(item.why),
        compared_with=len(inputs.townships) - 1,
        period=data["period"],
    )


def _latest_data(county: County, plan: Any, code: str) -> dict[str, Any]:
    """The most recent plain period with data, reduced to this one item."""
    plain = [p for p in plan.periods if not p.is_composite]
    with_data = set(
        Participation.objects.filter(county=county, plan_code=plan.code).values_list(
            "period_code", flat=True
        )
    )
    chosen = next((p for p in reversed(plain) if p.code in with_data), None)
    if chosen is None:
        period = plain[0].code if plain else ""
        return {
            "format": "assessment-data/1",
            "plan": plan.code,
            "period": period,
            "townships": [],
            "targets": [],
            "records": [],
            "events": [],
            "awards": [],
            "exemptions": [],
        }
    return period_data_document(county=county, plan=plan, period=chosen, indicator=code)
