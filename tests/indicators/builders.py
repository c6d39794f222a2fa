"""Small plans and period data for the engine's tests, written as the JSON a
county office would import, so every test goes through the real parsers."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from assessment.engine import PeriodResult, compute_period
from indicators.data_format import parse_period_data
from indicators.plan_format import parse_plan
from indicators.spec import PeriodInputs, Plan

Q1 = "2026Q1"
Q2 = "2026Q2"

BASE_PLAN: dict[str, Any] = {
    "format": "assessment-plan/1",
    "code": "t-plan",
    "name": "测试方案",
    "year": 2026,
    "departments": [{"code": "khb", "name": "考核办"}],
    "groups": [{"code": "g1", "name": "街道"}, {"code": "g2", "name": "乡镇"}],
    "periods": [
        {
            "code": "2025Q4",
            "name": "2025年四季度",
            "start": "2025-10-01",
            "end": "2025-12-31",
        },
        {"code": Q1, "name": "一季度", "start": "2026-01-01", "end": "2026-03-31"},
        {"code": Q2, "name": "二季度", "start": "2026-04-01", "end": "2026-06-30"},
        {
            "code": "2026H1",
            "name": "上半年",
            "composition": [{"period": Q1, "weight": 1}, {"period": Q2, "weight": 1}],
        },
    ],
}


def D(text: str) -> Decimal:
    return Decimal(text)


def leaf(
    code: str,
    method: Mapping[str, Any],
    *,
    points: Any = 10,
    role: str = "basic",
    **extra: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {"code": code, "name": f"指标{code}", "role": role}
    if role == "basic":
        out["points"] = points
    out["method"] = dict(method)
    out.update(extra)
    return out


def category(
    code: str, children: Iterable[Mapping[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {"code": code, "name": f"类别{code}", **extra, "children": list(children)}


def plan_dict(indicators: Iterable[Mapping[str, Any]], **top: Any) -> dict[str, Any]:
    out = copy.deepcopy(BASE_PLAN)
    out.update(top)
    out["indicators"] = list(indicators)
    return out


def make_plan(indicators: Iterable[Mapping[str, Any]], **top: Any) -> Plan:
    return parse_plan(plan_dict(indicators, **top))


def rec(township: str, indicator: str, **field: Any) -> dict[str, Any]:
    return {"township": township, "indicator": indicator, **field}


def event(
    id_: str, township: str, indicator: str, date: str, type_: str = "general"
) -> dict[str, Any]:
    return {
        "id": id_,
        "township": township,
        "indicator": indicator,
        "type": type_,
        "date": date,
    }


def data_dict(
    townships: Mapping[str, str],
    *,
    period: str = Q1,
    plan: str = "t-plan",
    **lists: Any,
) -> dict[str, Any]:
    """``townships`` maps codes to groups."""
    out: dict[str, Any] = {
        "format": "assessment-data/1",
        "plan": plan,
        "period": period,
        "townships": [
            {"code": code, "name": f"乡镇{code}", "group": group}
            for code, group in townships.items()
        ],
    }
    for key in ("targets", "records", "events", "awards", "exemptions"):
        out[key] = list(lists.get(key, ()))
    return out


def make_inputs(plan: Plan, townships: Mapping[str, str], **lists: Any) -> PeriodInputs:
    return parse_period_data(data_dict(townships, plan=plan.code, **lists), plan)


def run(plan: Plan, townships: Mapping[str, str], **lists: Any) -> PeriodResult:
    return compute_period(plan, make_inputs(plan, townships, **lists))


def scores(result: PeriodResult, township: str) -> dict[str, str]:
    """Published indicator scores of one township as printed (veto items as
    "triggered"/"-")."""
    out = {}
    for item in result.township(township).items:
        if item.triggered is not None:
            out[item.code] = "triggered" if item.triggered else "-"
        else:
            out[item.code] = str(item.score)
    return out


def totals(result: PeriodResult, township: str) -> tuple[str, str, str, str]:
    t = result.township(township)
    return str(t.total), str(t.basic), str(t.bonus), str(t.penalty)
