"""Invariants of the engine over generated plans and data (hypothesis)."""

from __future__ import annotations

import dataclasses
import math
import random
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.engine import ItemResult, PeriodResult, compute_period
from assessment.result_format import result_to_dict
from indicators.data_format import parse_period_data
from indicators.numbers import exact_to_json
from indicators.plan_format import parse_plan, plan_to_dict
from indicators.spec import Plan
from tests.indicators.builders import Q1, data_dict, plan_dict

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
GRADE_CODES = ("a", "b", "c", "d")

points_st = st.sampled_from([Decimal(x) for x in ("5", "8", "10", "12.5", "15", "20")])
value_st = st.decimals(
    min_value=-20, max_value=200, places=2, allow_nan=False, allow_infinity=False
)
share_st = st.integers(min_value=0, max_value=10)


def _method(draw: Any, kind: str, role: str, p: Decimal) -> dict[str, Any]:
    """Valid parameters for one method type and role (P = p)."""
    if kind == "ratio":
        out: dict[str, Any] = {
            "cap": draw(st.sampled_from([1, Decimal("1.2")])),
            "floor": draw(st.sampled_from([0, Decimal("0.5")])),
            "direction": draw(st.sampled_from(["higher", "lower"])),
        }
        if draw(st.booleans()):
            out["excess"] = {"step": Decimal("0.1"), "points": 1, "max": 2}
        return out
    if kind == "tiers":
        low = draw(st.integers(0, 50))
        out = {
            "tiers": [
                {"min": low + 20, "fraction": 1},
                {"min": low, "fraction": Decimal("0.5")},
            ]
        }
        if role == "basic":
            out["else"] = draw(st.sampled_from([0, -1]))
        else:
            out["max"] = p
        return out
    if kind == "benchmark":
        return {
            "scope": draw(st.sampled_from(["group", "all"])),
            "direction": draw(st.sampled_from(["higher", "lower"])),
        }
    if kind == "rank":
        if draw(st.booleans()):
            return {"step": 1, "min": draw(st.sampled_from([0, -1, 2]))}
        return {
            "scores": [p, p / 2, 1],
            "min": 0,
            "direction": draw(st.sampled_from(["higher", "lower"])),
        }
    if kind in ("deduct", "events"):
        out = {"per_type": {"a": 1, "b": Decimal("2.5")}}
        if draw(st.booleans()):
            out["repeat"] = {
                "window_days": draw(st.integers(0, 60)),
                "multipliers": [1, 2, 3],
            }
        if role == "penalty" and draw(st.booleans()):
            out["max"] = p
        return {} if role == "veto" else out
    if kind == "grade":
        return {"grades": {"A": 1, "B": Decimal("0.6"), "C": 0}}
    if kind == "checklist":
        half = p / 2
        return {"items": [{"id": "x", "points": half}, {"id": "y", "points": p - half}]}
    if kind == "manual":
        return {} if role == "basic" else {"max": p}
    if kind == "formula":
        out = {
            "expr": draw(
                st.sampled_from(
                    [
                        "P * v / vmax",
                        "clamp(v, 0, P)",
                        "if(v > vmean, P, P / 2)",
                        "P * r",
                    ]
                )
            ),
            "scope": draw(st.sampled_from(["group", "all"])),
        }
        if role == "basic":
            out["lo"] = draw(st.sampled_from([0, -2]))
        else:
            out["max"] = p
        return out
    assert kind == "awards"
    out = {"levels": {"n": 3, "p": 2, "c": 1}, "highest_only": draw(st.booleans())}
    if role == "bonus" or draw(st.booleans()):
        out["max"] = p
    return out


BASIC_KINDS = [
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
]
ROLE_KINDS = {
    "basic": BASIC_KINDS,
    "bonus": ["awards", "manual", "tiers", "formula"],
    "penalty": ["events", "manual"],
    "veto": ["events"],
}


@st.composite
def leaves(draw: Any, count: int) -> list[dict[str, Any]]:
    out = []
    roles = ["basic"] * 2 + draw(
        st.lists(
            st.sampled_from(["basic", "basic", "bonus", "penalty", "veto"]),
            min_size=count - 2,
            max_size=count - 2,
        )
    )
    for i, role in enumerate(roles):
        kind = draw(st.sampled_from(ROLE_KINDS[role]))
        p = draw(points_st)
        item: dict[str, Any] = {
            "code": f"L{i}",
            "name": f"指标{i}",
            "role": role,
            "method": {"type": kind, **_method(draw, kind, role, p)},
        }
        if role == "basic":
            item["points"] = p
            policy = draw(st.sampled_from([None, "rescale", "full", "mean", "fixed"]))
            if policy:
                item["na_policy"] = policy
            if policy == "fixed":
                item["na_score"] = p / 2
        if kind in ("ratio", "formula") or (kind == "tiers" and draw(st.booleans())):
            item["target"] = draw(st.sampled_from([Decimal("50"), Decimal("12.5")]))
        groups = draw(st.sampled_from([None, None, ["g1"], ["g2"]]))
        if groups:
            item["groups"] = groups
        out.append(item)
    return out


@st.composite
def plans(draw: Any, scaled: bool | None = None) -> dict[str, Any]:
    items = draw(leaves(draw(st.integers(2, 9))))
    if scaled if scaled is not None else draw(st.booleans()):
        items = [
            {
                "code": "S",
                "name": "折算",
                "points": 30,
                "scaled": True,
                "children": items[:2],
            },
            *items[2:],
        ]
    grades = [
        {
            "code": "a",
            "name": "优秀",
            "min": draw(st.sampled_from([40, 60, 90])),
            "quota": draw(st.sampled_from([Decimal("0.3"), Decimal("0.5"), 1])),
        },
        {"code": "b", "name": "良好", "min": 30, "count": draw(st.integers(1, 4))},
        {"code": "c", "name": "一般", "min": draw(st.sampled_from([0, 20]))},
        {"code": "d", "name": "较差"},
    ]
    return plan_dict(
        items,
        rounding=draw(st.sampled_from(["item", "final"])),
        na_policy=draw(st.sampled_from(["rescale", "full", "mean"])),
        bonus_cap=draw(st.sampled_from([None, 3, Decimal("7.5")])),
        penalty_cap=draw(st.sampled_from([None, 2, 10])),
        tie_break=draw(st.permutations(["basic", "bonus", "penalty"]))[
            : draw(st.integers(0, 3))
        ],
        grades=grades,
        grade_scope=draw(st.sampled_from(["group", "all"])),
        veto={
            "max_grade": draw(st.sampled_from([None, "b", "c"])),
            "grade_drop": draw(st.integers(0, 2)),
            "total": draw(st.sampled_from(["keep", "zero"])),
            "rank": draw(st.sampled_from(["keep", "last"])),
        },
    )


@st.composite
def data_for(draw: Any, plan: Plan) -> dict[str, Any]:
    n = draw(st.integers(1, 8))
    townships = {f"T{i}": draw(st.sampled_from(["g1", "g2"])) for i in range(n)}
    records, events, awards, targets, exemptions = [], [], [], [], []
    for leaf in plan.leaves:
        kind, p = leaf.method, leaf.points or getattr(leaf.params, "max", None) or 10
        for t in townships:
            if leaf.role == "basic" and draw(st.integers(0, 9)) == 0:
                exemptions.append(
                    {"township": t, "indicator": leaf.code, "reason": "免考"}
                )
            if kind in ("deduct", "events"):
                for j in range(draw(st.integers(0, 2))):
                    day = draw(
                        st.sampled_from(
                            ["2025-12-20", "2026-01-15", "2026-01-15", "2026-03-01"]
                        )
                    )
                    events.append(
                        {
                            "id": f"E{leaf.code}{t}{j}",
                            "township": t,
                            "indicator": leaf.code,
                            "type": draw(st.sampled_from(["a", "b"])),
                            "date": day,
                        }
                    )
                continue
            if kind == "awards":
                for j in range(draw(st.integers(0, 2))):
                    awards.append(
                        {
                            "id": f"W{leaf.code}{t}{j}",
                            "township": t,
                            "indicator": leaf.code,
                            "level": draw(st.sampled_from(["n", "p", "c"])),
                            "subject": draw(st.sampled_from([None, "s1"])),
                        }
                    )
                continue
            if not draw(st.integers(0, 5)):
                continue  # no record
            record: dict[str, Any] = {"township": t, "indicator": leaf.code}
            if kind == "grade":
                record["grade"] = draw(st.sampled_from(["A", "B", "C"]))
            elif kind == "checklist":
                record["items"] = draw(st.sampled_from([[], ["x"], ["y", "x"]]))
            elif kind == "manual":
                record["score"] = exact_to_json(Fraction(p) * draw(share_st) / 10)
            else:
                record["value"] = draw(value_st)
            records.append(record)
            if leaf.target is not None and draw(st.booleans()):
                targets.append(
                    {
                        "township": t,
                        "indicator": leaf.code,
                        "target": draw(st.sampled_from([Decimal(7), Decimal(80)])),
                    }
                )
    return data_dict(
        townships,
        plan=plan.code,
        records=records,
        events=events,
        awards=awards,
        targets=targets,
        exemptions=exemptions,
    )


@st.composite
def scenarios(draw: Any, scaled: bool | None = None) -> tuple[Plan, dict[str, Any]]:
    plan = parse_plan(draw(plans(scaled)))
    return plan, draw(data_for(plan))


def compute(plan: Plan, data: dict[str, Any]) -> PeriodResult:
    return compute_period(plan, parse_period_data(data, plan))


def _bounds(plan: Plan, code: str) -> tuple[Fraction, Fraction]:
    """The range a leaf's score must stay in, from its parameters."""
    leaf = plan.nodes[code]
    params: Any = leaf.params
    p: Fraction = Fraction(leaf.points if leaf.points is not None else params.max or 0)
    if leaf.role == "penalty":
        return (
            -Fraction(params.max) if params.max is not None else Fraction(-(10**9))
        ), Fraction(0)
    low: Fraction = Fraction(min(0, _lowest(leaf.method or "", params)))
    high = p
    if leaf.method == "ratio":
        high = p * params.cap + (params.excess.max if params.excess else 0)
    elif leaf.method == "formula" and params.hi is not None:
        high = Fraction(params.hi)
    elif leaf.method == "awards" and leaf.role == "bonus" and params.max is None:
        high = Fraction(10**9)
    return low, high


def _lowest(kind: str, params: Any) -> Any:
    from indicators.methods import METHODS

    return METHODS[kind].lowest(params)


@SETTINGS
@given(scenarios())
def test_caps_and_floors_hold(scenario: tuple[Plan, dict[str, Any]]) -> None:
    plan, data = scenario
    result = compute(plan, data)
    step = Fraction(1, 10**plan.precision)
    for township in result.townships:
        assert township.bonus >= 0 and township.penalty >= 0
        if plan.bonus_cap is not None:
            assert township.bonus <= plan.bonus_cap
        if plan.penalty_cap is not None:
            assert township.penalty <= plan.penalty_cap
        for item in township.items:
            if item.score is None or item.na:
                continue
            low, high = _bounds(plan, item.code)
            # published figures may sit half a step outside the exact bound
            assert low - step / 2 <= Fraction(item.score) <= high + step / 2, item


@SETTINGS
@given(scenarios(scaled=False))
def test_totals_are_the_sum_of_parts_under_item_rounding(
    scenario: tuple[Plan, dict[str, Any]],
) -> None:
    plan, data = scenario
    plan = dataclasses.replace(plan, rounding="item")
    result = compute(plan, data)
    basic_codes = {leaf.code for leaf in plan.leaves if leaf.role == "basic"}
    for t in result.townships:
        shown = {item.code: item for item in t.items}
        if basic_codes <= set(shown):  # nothing rescaled away
            assert t.basic == sum(_score(shown[c]) for c in basic_codes)
        bonus = sum(
            (_score(i) for i in t.items if plan.nodes[i.code].role == "bonus"),
            Decimal(0),
        )
        penalty = -sum(
            (_score(i) for i in t.items if plan.nodes[i.code].role == "penalty"),
            Decimal(0),
        )
        bonus_cap = plan.bonus_cap if plan.bonus_cap is not None else bonus
        assert t.bonus == min(bonus, bonus_cap)
        assert t.penalty == min(
            penalty, plan.penalty_cap if plan.penalty_cap is not None else penalty
        )
        if t.vetoed and plan.veto.total == "zero":
            assert t.total == 0
        else:
            assert t.total == t.basic + t.bonus - t.penalty


def _score(item: ItemResult) -> Decimal:
    assert item.score is not None
    return item.score


@SETTINGS
@given(scenarios())
def test_ranks_follow_totals(scenario: tuple[Plan, dict[str, Any]]) -> None:
    plan, data = scenario
    result = compute(plan, data)
    last = plan.veto.rank == "last"
    rows = result.townships
    for a in rows:
        for b in rows:
            if last and a.vetoed != b.vetoed:
                assert (a.rank < b.rank) == b.vetoed
                continue
            if a.total > b.total:
                assert a.rank < b.rank
                if a.group == b.group:
                    assert a.group_rank < b.group_rank
            if a.rank == b.rank:
                assert a.total == b.total
    ranks = sorted(t.rank for t in rows)
    assert ranks[0] == 1
    # competition ranking: a rank k is held by townships at positions k..
    counts = Counter(ranks)
    for rank in counts:
        assert sum(c for r, c in counts.items() if r < rank) == rank - 1


@SETTINGS
@given(scenarios())
def test_grades_never_exceed_quota_or_count(
    scenario: tuple[Plan, dict[str, Any]],
) -> None:
    plan, data = scenario
    result = compute(plan, data)
    scopes: dict[str, list[Any]] = {}
    for t in result.townships:
        scopes.setdefault("" if plan.grade_scope == "all" else t.group, []).append(t)
    for members in scopes.values():
        for grade in plan.grades:
            limits = []
            if grade.quota is not None:
                limits.append(math.floor(grade.quota * len(members)))
            if grade.count is not None:
                limits.append(grade.count)
            # a township dropped into a grade takes no room in it
            holders = [
                t
                for t in members
                if t.grade == grade.code and not (t.vetoed and plan.veto.grade_drop)
            ]
            if limits:
                assert len(holders) <= min(limits)
            for t in holders:
                if grade.min is not None:
                    assert t.total >= grade.min


SINGLE = ["ratio", "benchmark", "tiers", "grade", "formula", "rank", "deduct"]


@SETTINGS
@given(st.sampled_from(SINGLE), st.integers(2, 7), st.data())
def test_scaling_the_weight_never_changes_the_order(
    kind: str, factor: int, data: Any
) -> None:
    p = Decimal(10)
    method = {"type": kind, **_method(data.draw, kind, "basic", p)}
    if kind == "formula":
        method["lo"] = 0

    def one(points: Decimal) -> Plan:
        scaled = dict(method)
        if kind == "rank" and "scores" in scaled:
            scaled["scores"] = [s * points / p for s in scaled["scores"]]
        return parse_plan(
            plan_dict(
                [
                    {
                        "code": "X",
                        "name": "x",
                        "role": "basic",
                        "points": points,
                        "method": scaled,
                        "target": 40,
                    }
                ]
            )
        )

    small, large = one(p), one(p * factor)
    raw = data.draw(data_for(small))
    raw["exemptions"] = []
    first, second = compute(small, raw), compute(large, raw)
    for a in first.townships:
        for b in first.townships:
            a2, b2 = second.township(a.code), second.township(b.code)
            assert not (a.rank < b.rank and a2.rank > b2.rank)


@SETTINGS
@given(plans())
def test_plans_round_trip(raw: dict[str, Any]) -> None:
    plan = parse_plan(raw)
    assert parse_plan(plan_to_dict(plan)) == plan


@SETTINGS
@given(scenarios(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(
    scenario: tuple[Plan, dict[str, Any]], rnd: random.Random
) -> None:
    plan, data = scenario
    shuffled = dict(data)
    for key in ("townships", "records", "events", "awards", "targets", "exemptions"):
        items = list(data[key])
        rnd.shuffle(items)
        shuffled[key] = items
    assert result_to_dict(plan, compute(plan, shuffled)) == result_to_dict(
        plan, compute(plan, data)
    )


def _no_float(value: Any) -> None:
    assert not isinstance(value, float), value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _no_float(getattr(value, f.name))
    elif isinstance(value, dict):
        for k, v in value.items():
            _no_float(k)
            _no_float(v)
    elif isinstance(value, list | tuple):
        for v in value:
            _no_float(v)


@SETTINGS
@given(scenarios())
def test_no_float_appears_anywhere_in_results(
    scenario: tuple[Plan, dict[str, Any]],
) -> None:
    plan, data = scenario
    result = compute(plan, data)
    _no_float(result)
    _no_float(result_to_dict(plan, result, explanations=True))
    assert data["period"] == Q1
