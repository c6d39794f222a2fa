"""Methods scored against the other townships in scope: ``benchmark``, ``rank``.

Scope figures (the best value, the sorted values) are worked out once per scope,
not once per township.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from indicators.methods.base import (
    ItemInputs,
    RecordMethod,
    Scored,
    Validation,
    by_scope,
    check_at_most_full,
    exactly_one,
    read_direction,
    read_scope,
)
from indicators.numbers import Exact, Reader, exact_div, exact_to_json
from indicators.spec import BASIC, HIGHER, SCOPE_GROUP, Params, Record


@dataclass(frozen=True, slots=True)
class BenchmarkParams(Params):
    scope: str = SCOPE_GROUP
    direction: str = HIGHER


class Benchmark(RecordMethod):
    name = "benchmark"
    roles = frozenset({BASIC})
    keys = frozenset({"scope", "direction"})
    reads = "value"

    def read(self, check: Validation) -> BenchmarkParams:
        return BenchmarkParams(read_scope(check.reader), read_direction(check.reader))

    def to_dict(self, params: Any) -> dict[str, Any]:
        return {"scope": params.scope, "direction": params.direction}

    def score_records(
        self, params: Any, item: ItemInputs, rows: list[tuple[str, str, Record]]
    ) -> dict[str, Scored]:
        points = item.points
        assert points is not None
        higher = params.direction == HIGHER
        out: dict[str, Scored] = {}
        for members in by_scope(params.scope, rows).values():
            # Values below 0 count as 0 here.
            values = [(township, v if v > 0 else 0) for township, v in members]
            pick = max if higher else min
            best = pick(v for _, v in values)
            for township, v in values:
                out[township] = _benchmark(points, v, best, higher)
        return out


def _benchmark(points: Exact, v: Exact, best: Exact, higher: bool) -> Scored:
    why = (("v", v), ("best", best))
    if higher:
        return (exact_div(points * v, best) if best else 0), why
    return (points if v == 0 else exact_div(points * best, v)), why


@dataclass(frozen=True, slots=True)
class RankParams(Params):
    scope: str = SCOPE_GROUP
    direction: str = HIGHER
    step: Exact | None = None
    min: Exact = 0
    scores: tuple[Exact, ...] | None = None


class Rank(RecordMethod):
    name = "rank"
    roles = frozenset({BASIC})
    keys = frozenset({"scope", "direction", "step", "min", "scores"})
    reads = "value"

    def read(self, check: Validation) -> RankParams | None:
        reader = check.reader
        scope, direction = read_scope(reader), read_direction(reader)
        floor = reader.number("min", default=0)
        check_at_most_full(check, "min", floor, check.points)
        which = exactly_one(reader, "step", "scores")
        step: Exact | None = None
        scores: tuple[Exact, ...] | None = None
        if which == "step":
            step = reader.number("step", required=True, above=0)
        elif which == "scores":
            scores = _read_scores(check, reader)
        if floor is None or (step is None and scores is None):
            return None
        return RankParams(scope, direction, step, floor, scores)

    def to_dict(self, params: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scope": params.scope,
            "direction": params.direction,
            "min": exact_to_json(params.min),
        }
        if params.step is not None:
            out["step"] = exact_to_json(params.step)
        else:
            out["scores"] = [exact_to_json(s) for s in params.scores]
        return out

    def lowest(self, params: Any) -> Exact:
        return min([params.min, *(params.scores or ())])

    def score_records(
        self, params: Any, item: ItemInputs, rows: list[tuple[str, str, Record]]
    ) -> dict[str, Scored]:
        points = item.points
        assert points is not None
        higher = params.direction == HIGHER
        out: dict[str, Scored] = {}
        for members in by_scope(params.scope, rows).values():
            ordered = sorted(v for _, v in members)
            size = len(ordered)
            for township, v in members:
                # Competition rank: 1 + the number of strictly better values.
                better = (
                    size - bisect_right(ordered, v)
                    if higher
                    else bisect_left(ordered, v)
                )
                out[township] = _rank_score(params, points, v, better + 1)
        return out


def _rank_score(params: RankParams, points: Exact, v: Exact, k: int) -> Scored:
    why = (("v", v), ("rank", k))
    if params.step is not None:
        score = points - params.step * (k - 1)
        return (score if score > params.min else params.min), why
    assert params.scores is not None
    return (params.scores[k - 1] if k <= len(params.scores) else params.min), why


def _read_scores(check: Validation, reader: Reader) -> tuple[Exact, ...] | None:
    scores = reader.numbers("scores", required=True)
    for i, score in enumerate(scores or ()):
        key = f"scores[{i}]"
        check_at_most_full(check, key, score, check.points)
    return scores
