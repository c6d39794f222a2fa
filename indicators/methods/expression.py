"""``formula``: a plan-defined expression over the township's value, its target
and the scope figures, clamped to [lo, hi]. Parsed by ``indicators.formula``,
never ``eval``ed."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from indicators.formula import Formula, FormulaError, parse_formula
from indicators.methods.base import (
    MSG_LO_ABOVE_HI,
    ItemInputs,
    RecordMethod,
    Scored,
    Validation,
    by_scope,
    check_at_most_full,
    full_points,
    ratio_of,
    read_bonus_max,
    read_scope,
)
from indicators.numbers import Exact, exact_to_json, format_exact
from indicators.spec import BASIC, BONUS, SCOPE_GROUP, Params, Record

MSG_FORMULA_ERROR = "{owner}的计分公式有误:{detail}(公式:{expr})"


@dataclass(frozen=True, slots=True)
class FormulaParams(Params):
    expr: Formula
    lo: Exact = 0
    # None: P (the item's points, or ``max`` on bonus items).
    hi: Exact | None = None
    scope: str = SCOPE_GROUP
    max: Exact | None = None


class FormulaMethod(RecordMethod):
    name = "formula"
    roles = frozenset({BASIC, BONUS})
    keys = frozenset({"expr", "lo", "hi", "scope"})
    reads = "value"

    def allowed_keys(self, role: str) -> frozenset[str]:
        return self.keys if role == BASIC else self.keys | {"max"}

    def read(self, check: Validation) -> FormulaParams | None:
        reader = check.reader
        source = reader.text("expr")
        formula = None
        if source is not None:
            try:
                formula = parse_formula(source)
            except FormulaError as error:
                reader.add(
                    "expr",
                    "formula_error",
                    MSG_FORMULA_ERROR.format(
                        owner=check.owner, detail=error.message, expr=source
                    ),
                )
        scope = read_scope(reader)
        most = read_bonus_max(check)
        full = full_points(check, most)
        lo = reader.number("lo", default=0)
        hi = reader.number("hi")
        if check.role != BASIC:
            check_at_most_full(check, "lo", lo, None)
            check_at_most_full(check, "hi", hi, most)
        upper = hi if hi is not None else full
        if lo is not None and upper is not None and lo > upper:
            reader.add(
                "lo",
                "lo_above_hi",
                MSG_LO_ABOVE_HI.format(
                    owner=check.owner, lo=format_exact(lo), hi=format_exact(upper)
                ),
            )
            return None
        if formula is None or lo is None or (reader.has("hi") and hi is None):
            return None
        return FormulaParams(formula, lo, hi, scope, most)

    def to_dict(self, params: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "expr": params.expr.source,
            "lo": exact_to_json(params.lo),
            "scope": params.scope,
        }
        if params.hi is not None:
            out["hi"] = exact_to_json(params.hi)
        if params.max is not None:
            out["max"] = exact_to_json(params.max)
        return out

    def lowest(self, params: Any) -> Exact:
        return params.lo

    def score_records(
        self, params: Any, item: ItemInputs, rows: list[tuple[str, str, Record]]
    ) -> dict[str, Scored]:
        full = item.points if item.role == BASIC else params.max
        assert full is not None
        lo = params.lo
        hi = params.hi if params.hi is not None else full
        formula = params.expr
        out: dict[str, Scored] = {}
        for members in by_scope(params.scope, rows).values():
            values = [v for _, v in members]
            n = len(values)
            env: dict[str, Any] = {
                "P": full,
                "vmax": max(values),
                "vmin": min(values),
                "vmean": Fraction(sum(values), n),
                "n": n,
            }
            for township, v in members:
                t = item.target_of(township) or 0
                env["v"], env["t"], env["r"] = v, t, ratio_of(v, t)
                raw = formula.evaluate(env)
                score = lo if raw < lo else hi if raw > hi else raw
                out[township] = (score, (("v", v), ("t", t), ("raw", raw)))
        return out
