"""Results out as ``assessment-result/1`` (scoring.md section 9)."""

from __future__ import annotations

import json
from typing import Any

from assessment.engine.results import ItemResult, PeriodResult, TownshipResult
from indicators.methods import explain
from indicators.numbers import format_fixed
from indicators.spec import Plan

FORMAT = "assessment-result/1"


def result_to_dict(
    plan: Plan, result: PeriodResult, *, explanations: bool = False
) -> dict[str, Any]:
    """The result as the spec writes it: scores as strings with exactly
    ``precision`` places, townships by code, indicators in plan order.

    With ``explanations``, each indicator also carries ``why`` (an extra field
    the spec allows; the spec's own fields are unchanged).
    """
    order = plan.leaf_index
    return {
        "format": FORMAT,
        "plan": result.plan,
        "period": result.period,
        "townships": [
            _township(t, order, explanations)
            for t in sorted(result.townships, key=lambda t: t.code)
        ],
    }


def _township(
    township: TownshipResult, order: dict[str, int], explanations: bool
) -> dict[str, Any]:
    items = sorted(township.items, key=lambda i: order.get(i.code, len(order)))
    return {
        "code": township.code,
        "group": township.group,
        "total": format_fixed(township.total),
        "basic": format_fixed(township.basic),
        "bonus": format_fixed(township.bonus),
        "penalty": format_fixed(township.penalty),
        "vetoed": township.vetoed,
        "veto_items": sorted(township.veto_items, key=lambda c: order.get(c, 0)),
        "rank": township.rank,
        "group_rank": township.group_rank,
        "grade": township.grade,
        "indicators": {i.code: _item(i, explanations) for i in items},
    }


def _item(item: ItemResult, explanations: bool) -> dict[str, Any]:
    out: dict[str, Any]
    if item.triggered is not None:
        out = {"triggered": item.triggered}
    else:
        assert item.score is not None
        out = {"score": format_fixed(item.score)}
        if item.na:
            out["na"] = True
    if explanations and item.why:
        out["why"] = explain(item.why)
    return out


def dump_result_json(data: dict[str, Any]) -> str:
    """Byte-stable JSON text of a result dict (keys in the order written)."""
    return json.dumps(data, ensure_ascii=False, indent=1)
