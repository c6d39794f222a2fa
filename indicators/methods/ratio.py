"""``ratio``: completion of a target, with an optional excess reward."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from indicators.methods.base import (
    ItemInputs,
    RecordMethod,
    Scored,
    Validation,
    read_direction,
)
from indicators.numbers import Exact, exact_div, exact_to_json
from indicators.spec import BASIC, HIGHER, Params, Record

# r = ∞ (``direction: lower`` with v = 0) is carried as None.
INFINITE = None


@dataclass(frozen=True, slots=True)
class Excess:
    step: Exact
    points: Exact
    max: Exact


@dataclass(frozen=True, slots=True)
class RatioParams(Params):
    cap: Exact = 1
    floor: Exact = 0
    direction: str = HIGHER
    excess: Excess | None = None


class Ratio(RecordMethod):
    name = "ratio"
    roles = frozenset({BASIC})
    keys = frozenset({"cap", "floor", "direction", "excess"})
    reads = "value"

    def read(self, check: Validation) -> RatioParams | None:
        reader = check.reader
        cap = reader.number("cap", default=1, above=0)
        floor = reader.number("floor", default=0, minimum=0)
        direction = read_direction(reader)
        excess = None
        sub = reader.child("excess", reader.owner)
        if sub is not None:
            sub.only({"step", "points", "max"})
            step = sub.number("step", required=True, above=0)
            points = sub.number("points", required=True, minimum=0)
            most = sub.number("max", required=True, minimum=0)
            if step is not None and points is not None and most is not None:
                excess = Excess(step, points, most)
        if cap is None or floor is None:
            return None
        return RatioParams(cap, floor, direction, excess)

    def to_dict(self, params: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "cap": exact_to_json(params.cap),
            "floor": exact_to_json(params.floor),
            "direction": params.direction,
        }
        if params.excess is not None:
            out["excess"] = {
                "step": exact_to_json(params.excess.step),
                "points": exact_to_json(params.excess.points),
                "max": exact_to_json(params.excess.max),
            }
        return out

    def needs_target(self, params: Params) -> bool:
        return True

    def score_records(
        self, params: Any, item: ItemInputs, rows: list[tuple[str, str, Record]]
    ) -> dict[str, Scored]:
        points = item.points
        assert points is not None
        out: dict[str, Scored] = {}
        for township, _group, record in rows:
            v = record.value
            t = item.target_of(township)
            assert v is not None and t is not None
            out[township] = ratio_score(params, points, v, t)
        return out


def ratio_score(params: RatioParams, points: Exact, v: Exact, t: Exact) -> Scored:
    """One township's ratio score (scoring.md section 4, ``ratio``)."""
    r: Exact | None
    if params.direction == HIGHER:
        r = exact_div(v, t)
    else:
        r = INFINITE if v == 0 else exact_div(t, v)
    excess = params.excess
    if r is INFINITE:
        extra = excess.max if excess is not None else 0
        base = points * params.cap
        return base + extra, (
            ("v", v),
            ("t", t),
            ("r", "∞"),
            ("base", base),
            ("excess", extra),
        )
    if r < params.floor:
        return 0, (("v", v), ("t", t), ("r", r), ("below_floor", True))
    base = points * (r if r < params.cap else params.cap)
    if excess is None or r <= 1:
        return base, (("v", v), ("t", t), ("r", r), ("base", base))
    extra = excess.points * ((r - 1) // excess.step)
    if extra > excess.max:
        extra = excess.max
    return base + extra, (
        ("v", v),
        ("t", t),
        ("r", r),
        ("base", base),
        ("excess", extra),
    )
