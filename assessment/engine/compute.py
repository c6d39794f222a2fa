"""One period's computation: item scores, N/A, totals, veto (scoring.md 3–6).

Each indicator is scored for all its townships in one call to its method, so
scope figures and repeat multipliers are worked out once; the totals then walk
the plan's precomputed units per township without re-walking the tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from assessment.engine.figures import Figure, Figures
from assessment.engine.results import ItemResult, PeriodResult, TownshipResult
from assessment.engine.standing import Placing, Standing, place
from indicators.errors import InvalidInput, Problem
from indicators.methods import METHODS, ItemInputs, Scored
from indicators.numbers import Exact
from indicators.spec import (
    BASIC,
    BONUS,
    FIXED,
    FULL,
    MEAN,
    PENALTY,
    VETO,
    ZERO,
    Indicator,
    PeriodInputs,
    Plan,
    Township,
)

MSG_OTHER_PLAN = "数据属于方案 {inputs},不能按方案 {plan} 计算"
MSG_UNKNOWN_PERIOD = "方案 {plan} 中没有考核周期 {period}"
MSG_COMPOSITE = "考核周期 {period} 由其他周期合成,应按组成周期合成计算"


class _Row(NamedTuple):
    standing: Standing
    veto_items: tuple[str, ...]
    items: tuple[ItemResult, ...]


class _Column:
    """One indicator's scores this period, and what it counts where N/A."""

    __slots__ = ("figures", "na_figure", "na_why", "scores")

    def __init__(self, scores: dict[str, Scored], figures: dict[str, Figure]) -> None:
        self.scores = scores
        self.figures = figures
        self.na_figure: Figure | None = None
        self.na_why: tuple[tuple[str, object], ...] = ()


def compute_period(plan: Plan, inputs: PeriodInputs) -> PeriodResult:
    """Scores, totals, ranks and grades of every township in one period."""
    start = _start(plan, inputs)
    fig = Figures(plan.precision, plan.rounding)
    townships = sorted(inputs.townships, key=lambda t: t.code)
    columns = [
        _column(plan, leaf, inputs, townships, start, fig) for leaf in plan.leaves
    ]
    rows = [_township(plan, fig, township, columns) for township in townships]
    placings = place(plan, [row.standing for row in rows])
    return PeriodResult(
        plan=plan.code,
        period=inputs.period,
        precision=plan.precision,
        townships=tuple(_result(row, placings[row.standing.code]) for row in rows),
    )


def _start(plan: Plan, inputs: PeriodInputs) -> date:
    period = plan.period(inputs.period)
    problem = None
    if inputs.plan != plan.code:
        problem = (
            "plan",
            "wrong_plan",
            MSG_OTHER_PLAN.format(inputs=inputs.plan, plan=plan.code),
        )
    elif period is None:
        problem = (
            "period",
            "unknown_period",
            MSG_UNKNOWN_PERIOD.format(plan=plan.code, period=inputs.period),
        )
    elif period.is_composite or period.start is None:
        problem = (
            "period",
            "composite_period",
            MSG_COMPOSITE.format(period=inputs.period),
        )
    if problem is not None:
        raise InvalidInput([Problem(*problem)])
    assert period is not None and period.start is not None
    return period.start


def _column(
    plan: Plan,
    leaf: Indicator,
    inputs: PeriodInputs,
    townships: Sequence[Township],
    start: date,
    fig: Figures,
) -> _Column:
    code = leaf.code
    exempt = inputs.exempt
    assessed = [
        (t.code, t.group)
        for t in townships
        if (leaf.groups is None or t.group in leaf.groups)
        and not (exempt and (t.code, code) in exempt)
    ]
    item = ItemInputs(
        code=code,
        role=leaf.role or BASIC,
        points=leaf.points,
        target=leaf.target,
        assessed=assessed,
        records=inputs.records_by_item.get(code, {}),
        targets=inputs.targets_by_item.get(code, {}),
        events=inputs.events_by_item.get(code, ()),
        awards=inputs.awards_by_item.get(code, ()),
        start=start,
    )
    assert leaf.method is not None and leaf.params is not None
    scores = METHODS[leaf.method].score(leaf.params, item) if assessed else {}
    settle = fig.settle
    column = _Column(scores, {t: settle(s[0]) for t, s in scores.items()})
    if leaf.role == BASIC:
        _what_na_counts(plan, leaf, column, fig)
    return column


def _what_na_counts(plan: Plan, leaf: Indicator, column: _Column, fig: Figures) -> None:
    """What the item counts for a township it is N/A for; None: nothing
    (``rescale``, and ``mean`` when no township is assessed on it)."""
    policy = plan.na_policy_of(leaf)
    if policy == FULL:
        assert leaf.points is not None
        column.na_figure = fig.settle(leaf.points)
    elif policy == FIXED:
        assert leaf.na_score is not None
        column.na_figure = fig.settle(leaf.na_score)
    elif policy == MEAN and column.figures:
        column.na_figure = fig.mean(column.figures.values())
    else:
        return
    column.na_why = (("na", policy),)


def _township(
    plan: Plan, fig: Figures, township: Township, columns: list[_Column]
) -> _Row:
    code = township.code
    publish = fig.publish
    row: list[Figure | None] = [None] * len(columns)
    items: list[ItemResult] = []
    bonus: Figure = 0
    penalty: Figure = 0
    veto_items: list[str] = []
    for index, (leaf, column) in enumerate(zip(plan.leaves, columns, strict=True)):
        scored = column.scores.get(code)
        if scored is None:
            if column.na_figure is not None:
                row[index] = column.na_figure
                items.append(
                    ItemResult(
                        leaf.code, publish(column.na_figure), na=True, why=column.na_why
                    )
                )
            continue
        value, why = scored
        role = leaf.role
        if role == VETO:
            items.append(ItemResult(leaf.code, triggered=bool(value), why=why))
            if value:
                veto_items.append(leaf.code)
            continue
        figure = column.figures[code]
        row[index] = figure
        if role == BONUS:
            bonus += figure
        elif role == PENALTY:
            penalty -= figure
        items.append(ItemResult(leaf.code, publish(figure), None, False, value, why))
    basic = _basic(plan, fig, row)
    bonus = fig.at_most(bonus, plan.bonus_cap)
    penalty = fig.at_most(penalty, plan.penalty_cap)
    vetoed = bool(veto_items)
    total = 0 if vetoed and plan.veto.total == ZERO else basic + bonus - penalty
    standing = Standing(
        code=code,
        group=township.group,
        total=publish(total),
        basic=publish(basic),
        bonus=publish(bonus),
        penalty=publish(penalty),
        vetoed=vetoed,
    )
    return _Row(standing, tuple(veto_items), tuple(items))


def _basic(plan: Plan, fig: Figures, row: list[Figure | None]) -> Figure:
    """The root unit's value (scoring.md section 6, basic total).

    Units come children first, so a scaled part's contribution is known
    before its parent unit adds it up.
    """
    contributions: list[Figure | None] = []
    value: Figure = 0
    for unit in plan.units:
        s: Figure = 0
        a: Exact = 0
        for part in unit.parts:
            part_value = row[part.leaf] if part.leaf >= 0 else contributions[part.unit]
            if part_value is not None:
                s += part_value
                a += part.points
        if unit.points is None:
            value = s if a == unit.full else (fig.scale(s, unit.full, a) if a else 0)
            contributions.append(None)
        else:
            contributions.append(fig.scale(s, unit.points, a) if a else None)
    return value


def _result(row: _Row, placing: Placing) -> TownshipResult:
    standing = row.standing
    return TownshipResult(
        code=standing.code,
        group=standing.group,
        total=standing.total,
        basic=standing.basic,
        bonus=standing.bonus,
        penalty=standing.penalty,
        vetoed=standing.vetoed,
        veto_items=row.veto_items,
        rank=placing.rank,
        group_rank=placing.group_rank,
        grade=placing.grade,
        items=row.items,
    )
