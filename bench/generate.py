"""A deterministic province-scale plan and period data for the engine benchmark.

``generate()`` returns one ``assessment-plan/1`` dict with ``leaves`` items using
every method type and role (with groups, N/A policies, a scaled part, targets,
repeat escalation) and one ``assessment-data/1`` dict per county. Numbers are
``int`` or exact ``Decimal``, as ``json.loads(..., parse_float=Decimal)`` gives.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

PLAN_CODE = "bench-2026"
PERIOD = "2026Q1"
GROUPS = ("jd", "gyz", "nyz")
EVENT_TYPES = ("general", "major")
LEVELS = {"national": 3, "provincial": 2, "city": 1}
GRADE_LETTERS = {"A": 1, "B": Decimal("0.85"), "C": Decimal("0.7"), "D": Decimal("0.5")}
CHECKS = ("plan", "ledger", "inspection", "rectify")

BASIC_KINDS = (
    "ratio",
    "tiers",
    "benchmark",
    "rank",
    "deduct",
    "grade",
    "checklist",
    "manual",
    "formula",
    "awards",
)
# Out of every 20 leaves: 17 basic, 1 bonus, 1 penalty, 1 veto … roughly.
ROLE_CYCLE = ("basic",) * 16 + ("bonus", "penalty", "basic", "veto")
BONUS_KINDS = ("awards", "manual", "tiers", "formula")
PENALTY_KINDS = ("events", "manual")
RECORD_FIELD = {
    "ratio": "value",
    "tiers": "value",
    "benchmark": "value",
    "rank": "value",
    "formula": "value",
    "grade": "grade",
    "checklist": "items",
    "manual": "score",
}


def _dec(rng: random.Random, low: int, high: int, places: int = 2) -> Decimal:
    """An exact decimal drawn between low and high."""
    scale = 10**places
    return Decimal(rng.randint(low * scale, high * scale)).scaleb(-places)


def _method(kind: str, role: str, points: int, i: int) -> dict[str, Any]:
    cap = {"max": points} if role != "basic" else {}
    if kind == "ratio":
        excess = {"excess": {"step": Decimal("0.1"), "points": 1, "max": 2}}
        return {"type": "ratio", "floor": Decimal("0.5"), **(excess if i % 2 else {})}
    if kind == "tiers":
        tiers = [
            {"min": 1, "fraction": 1},
            {"min": Decimal("0.9"), "fraction": Decimal("0.8")},
            {"min": Decimal("0.8"), "fraction": Decimal("0.6")},
        ]
        negative = {"else": -1} if role == "basic" and i % 3 == 0 else {}
        return {"type": "tiers", "on": "ratio", "tiers": tiers, **negative, **cap}
    if kind == "benchmark":
        return {
            "type": "benchmark",
            "scope": ("group", "all")[i % 2],
            "direction": ("higher", "lower")[i // 2 % 2],
        }
    if kind == "rank":
        if i % 2:
            return {"type": "rank", "step": 1, "min": points // 2}
        return {"type": "rank", "scores": [points, points - 1, points - 2], "min": 1}
    if kind == "deduct":
        repeat = {"repeat": {"window_days": 60, "multipliers": [1, 2]}} if i % 2 else {}
        return {"type": "deduct", "per_type": {"general": 1, "major": 3}, **repeat}
    if kind == "grade":
        return {"type": "grade", "grades": GRADE_LETTERS}
    if kind == "checklist":
        share = [points // 4] * 3
        share.append(points - sum(share))
        return {
            "type": "checklist",
            "items": [
                {"id": c, "points": p} for c, p in zip(CHECKS, share, strict=True)
            ],
        }
    if kind == "manual":
        return {"type": "manual", **cap}
    if kind == "formula":
        expr = ("if(vmax > 0, P * v / vmax, 0)", "clamp(P * r, 0, P)")[i % 2]
        return {
            "type": "formula",
            "expr": expr,
            "scope": ("all", "group")[i % 2],
            **cap,
        }
    if kind == "awards":
        return {
            "type": "awards",
            "levels": LEVELS,
            "highest_only": bool(i % 2),
            "max": points,
        }
    assert kind == "events"
    if role == "veto":
        return {"type": "events"}
    return {
        "type": "events",
        "per_type": {"general": 2, "major": 4},
        "max": points,
        "repeat": {"window_days": 90, "multipliers": [1, 2, 3]},
    }


def _leaf(i: int, rng: random.Random) -> dict[str, Any]:
    role = ROLE_CYCLE[i % len(ROLE_CYCLE)]
    kinds = {
        "basic": BASIC_KINDS,
        "bonus": BONUS_KINDS,
        "penalty": PENALTY_KINDS,
        "veto": ("events",),
    }[role]
    kind = kinds[(i // len(ROLE_CYCLE) + i) % len(kinds)]
    points = rng.choice((4, 5, 6, 8, 10, 12))
    leaf: dict[str, Any] = {"code": f"L{i:03}", "name": f"指标{i:03}", "role": role}
    if role == "basic":
        leaf["points"] = points
        if i % 7 == 0:
            leaf["groups"] = [GROUPS[i % 3]]
            leaf["na_policy"] = ("rescale", "full", "mean", "fixed")[i // 7 % 4]
            if leaf["na_policy"] == "fixed":
                leaf["na_score"] = points // 2
    if kind in ("ratio", "tiers") or (kind == "formula" and i % 2):
        leaf["target"] = rng.choice((100, 500, 2000))
    leaf["method"] = _method(kind, role, points, i)
    return leaf


def generate_plan(leaves: int = 300, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    items = [_leaf(i, rng) for i in range(leaves)]
    # Ten categories; the first is a scaled part (现场检查), weight 30.
    size = max(1, len(items) // 10)
    categories = []
    for c in range(0, len(items), size):
        children = items[c : c + size]
        category: dict[str, Any] = {
            "code": f"C{c // size:02}",
            "name": f"类别{c // size:02}",
            "children": children,
        }
        if c == 0:
            category.update({"points": 30, "scaled": True})
        categories.append(category)
    return {
        "format": "assessment-plan/1",
        "code": PLAN_CODE,
        "name": "全省乡镇综合考核(基准测试)",
        "year": 2026,
        "precision": 2,
        "departments": [{"code": "khb", "name": "考核办"}],
        "groups": [{"code": g, "name": g} for g in GROUPS],
        "periods": [
            {
                "code": PERIOD,
                "name": "2026年第一季度",
                "start": "2026-01-01",
                "end": "2026-03-31",
            }
        ],
        "na_policy": "rescale",
        "bonus_cap": 10,
        "penalty_cap": 20,
        "tie_break": ["basic", "penalty"],
        "grades": [
            {"code": "excellent", "name": "优秀", "min": 90, "quota": Decimal("0.3")},
            {"code": "good", "name": "良好", "min": 80, "count": 8},
            {"code": "fair", "name": "一般", "min": 60},
            {"code": "poor", "name": "较差"},
        ],
        "grade_scope": "group",
        "veto": {"max_grade": "fair", "grade_drop": 1, "total": "keep", "rank": "last"},
        "indicators": categories,
    }


def _walk_leaves(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for node in nodes:
        out.extend(_walk_leaves(node["children"]) if "children" in node else [node])
    return out


def generate_data(
    plan: dict[str, Any], county: int, townships: int, rng: random.Random
) -> dict[str, Any]:
    towns = [
        {
            "code": f"C{county:03}T{t:02}",
            "name": f"{county}县{t}镇",
            "group": GROUPS[t % 3],
        }
        for t in range(townships)
    ]
    records: list[dict[str, Any]] = []
    targets: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    awards: list[dict[str, Any]] = []
    exemptions: list[dict[str, Any]] = []
    for leaf in _walk_leaves(plan["indicators"]):
        kind = leaf["method"]["type"]
        for town in towns:
            code = town["code"]
            pair = {"township": code, "indicator": leaf["code"]}
            if kind in ("deduct", "events"):
                for _ in range(rng.choice((0, 0, 0, 1, 2))):
                    day = rng.choice(
                        ("2025-12-15", "2026-01-20", "2026-02-10", "2026-03-05")
                    )
                    events.append(
                        {
                            "id": f"E{len(events):06}",
                            **pair,
                            "type": rng.choice(EVENT_TYPES),
                            "date": day,
                        }
                    )
                continue
            if kind == "awards":
                for _ in range(rng.choice((0, 0, 1, 2))):
                    awards.append(
                        {
                            "id": f"W{len(awards):06}",
                            **pair,
                            "level": rng.choice(tuple(LEVELS)),
                            "subject": rng.choice((None, "s1", "s2")),
                        }
                    )
                continue
            if rng.random() < 0.05:
                continue  # not submitted
            record = dict(pair)
            record[RECORD_FIELD[kind]] = _record_value(kind, leaf, rng)
            records.append(record)
            if "target" in leaf and rng.random() < 0.2:
                targets.append({**pair, "target": leaf["target"] * rng.choice((1, 2))})
            if leaf["role"] == "basic" and rng.random() < 0.005:
                exemptions.append({**pair, "reason": "基准测试免考"})
    for event in events:
        event.setdefault("type", "general")
    return {
        "format": "assessment-data/1",
        "plan": plan["code"],
        "period": PERIOD,
        "townships": towns,
        "targets": targets,
        "records": records,
        "events": events,
        "awards": awards,
        "exemptions": exemptions,
    }


def _record_value(kind: str, leaf: dict[str, Any], rng: random.Random) -> Any:
    if kind == "grade":
        return rng.choice(tuple(GRADE_LETTERS))
    if kind == "checklist":
        return [c for c in CHECKS if rng.random() < 0.7]
    if kind == "manual":
        full = leaf.get("points") or leaf["method"]["max"]
        return _dec(rng, 0, full, 1)
    target = leaf.get("target", 100)
    return _dec(rng, 0, target * 13 // 10)


def generate(
    counties: int = 100,
    townships_per_county: int = 20,
    leaves: int = 300,
    seed: int = 1,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The plan and one period's data per county, the same for the same seed."""
    plan = generate_plan(leaves, seed)
    rng = random.Random(seed + 1)
    data = [generate_data(plan, c, townships_per_county, rng) for c in range(counties)]
    return plan, data
