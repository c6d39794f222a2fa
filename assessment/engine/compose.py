"""Composite periods: weighted sums of the components' published figures
(scoring.md section 6, last bullet), then ranks and grades as usual."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

from assessment.engine.figures import weighted
from assessment.engine.results import ItemResult, PeriodResult, TownshipResult
from assessment.engine.standing import Standing, place
from indicators.errors import ProblemList
from indicators.numbers import format_exact, publish
from indicators.spec import VETO, ZERO, Plan

MSG_UNKNOWN_PERIOD = "方案 {plan} 中没有考核周期 {period}"
MSG_NOT_COMPOSITE = "考核周期 {period} 不是合成周期"
MSG_COMPOSITION_MISMATCH = "合成周期 {period} 的组成应为 {expected},实际传入 {given}"
MSG_OTHER_PLAN = "组成周期 {period} 的结果属于方案 {other},不属于方案 {plan}"
MSG_MISSING_TOWNSHIP = (
    "乡镇(街道) {township} 在组成周期 {period} 中没有考核结果,无法合成 {target}"
)

Components = Sequence[tuple[Fraction, PeriodResult]]


def compose_period(
    plan: Plan, period_code: str, components: Components
) -> PeriodResult:
    """The composite period's result from its components' results, given as
    (weight, result) in the order of the plan's composition."""
    _check(plan, period_code, components)
    by_code = [{t.code: t for t in result.townships} for _, result in components]
    codes = sorted(set().union(*by_code))
    periods = [(result.period, Fraction(weight)) for weight, result in components]
    rows = [
        _township(plan, code, periods, [c[code] for c in by_code]) for code in codes
    ]
    placings = place(plan, [standing for standing, _ in rows])
    townships = []
    for standing, items in rows:
        placing = placings[standing.code]
        townships.append(
            TownshipResult(
                code=standing.code,
                group=standing.group,
                total=standing.total,
                basic=standing.basic,
                bonus=standing.bonus,
                penalty=standing.penalty,
                vetoed=standing.vetoed,
                veto_items=tuple(i.code for i in items if i.triggered),
                rank=placing.rank,
                group_rank=placing.group_rank,
                grade=placing.grade,
                items=items,
            )
        )
    return PeriodResult(plan.code, period_code, plan.precision, tuple(townships))


def _check(plan: Plan, period_code: str, components: Components) -> None:
    problems = ProblemList()
    period = plan.period(period_code)
    if period is None:
        problems.add(
            "period",
            "unknown_period",
            MSG_UNKNOWN_PERIOD.format(plan=plan.code, period=period_code),
        )
    elif not period.is_composite:
        problems.add(
            "period", "not_composite", MSG_NOT_COMPOSITE.format(period=period_code)
        )
    else:
        expected = [(c.period, c.weight) for c in period.composition]
        given = [(result.period, Fraction(weight)) for weight, result in components]
        if given != expected:
            problems.add(
                "components",
                "composition_mismatch",
                MSG_COMPOSITION_MISMATCH.format(
                    period=period_code, expected=_show(expected), given=_show(given)
                ),
            )
    for i, (_, result) in enumerate(components):
        if result.plan != plan.code:
            problems.add(
                f"components[{i}]",
                "wrong_plan",
                MSG_OTHER_PLAN.format(
                    period=result.period, other=result.plan, plan=plan.code
                ),
            )
    everyone = set().union(*({t.code for t in r.townships} for _, r in components))
    for i, (_, result) in enumerate(components):
        present = {t.code for t in result.townships}
        for code in sorted(everyone - present):
            problems.add(
                f"components[{i}].townships",
                "missing_township",
                MSG_MISSING_TOWNSHIP.format(
                    township=code, period=result.period, target=period_code
                ),
            )
    problems.raise_if_any()


def _show(parts: list[tuple[str, Fraction]]) -> str:
    return "、".join(f"{code}×{format_exact(weight)}" for code, weight in parts)


def _township(
    plan: Plan,
    code: str,
    periods: list[tuple[str, Fraction]],
    parts: list[TownshipResult],
) -> tuple[Standing, tuple[ItemResult, ...]]:
    weights = [weight for _, weight in periods]

    def combine(figures: list[Decimal]) -> Decimal:
        return weighted(zip(weights, figures, strict=True), plan.precision)

    vetoed = any(p.vetoed for p in parts)
    total = combine([p.total for p in parts])
    if vetoed and plan.veto.total == ZERO:
        total = publish(0, plan.precision)
    standing = Standing(
        code=code,
        # Its group is the one it has in the last component listed.
        group=parts[-1].group,
        total=total,
        basic=combine([p.basic for p in parts]),
        bonus=combine([p.bonus for p in parts]),
        penalty=combine([p.penalty for p in parts]),
        vetoed=vetoed,
    )
    return standing, _items(plan, periods, parts, combine)


def _items(
    plan: Plan,
    periods: list[tuple[str, Fraction]],
    parts: list[TownshipResult],
    combine: Callable[[list[Decimal]], Decimal],
) -> tuple[ItemResult, ...]:
    found = [{item.code: item for item in part.items} for part in parts]
    zero = publish(0, plan.precision)
    out: list[ItemResult] = []
    for leaf in plan.leaves:
        present = [f[leaf.code] for f in found if leaf.code in f]
        if not present:
            continue
        if leaf.role == VETO:
            triggered = any(i.triggered for i in present)
            out.append(ItemResult(leaf.code, triggered=triggered))
            continue
        # An indicator missing from a component counts 0 there.
        scores = [_score(f.get(leaf.code), zero) for f in found]
        why = tuple(
            (period, weight, score)
            for (period, weight), score in zip(periods, scores, strict=True)
        )
        na = all(i.na for i in present)
        out.append(ItemResult(leaf.code, combine(scores), na=na, why=(("parts", why),)))
    return tuple(out)


def _score(item: ItemResult | None, zero: Decimal) -> Decimal:
    if item is None or item.score is None:
        return zero
    return item.score
