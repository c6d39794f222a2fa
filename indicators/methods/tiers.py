"""``tiers``: a threshold table on the value or on v/t (未达门槛可倒扣)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indicators.methods.base import (
    ItemInputs,
    RecordMethod,
    Scored,
    Validation,
    check_at_most_full,
    check_fraction,
    exactly_one,
    full_points,
    read_bonus_max,
    read_direction,
)
from indicators.numbers import (
    Exact,
    exact_div,
    exact_to_json,
    format_exact,
    object_reader,
)
from indicators.spec import BASIC, BONUS, HIGHER, Params, Record

ON_VALUE = "value"
ON_RATIO = "ratio"

MSG_NO_TIERS = "{owner}的 tiers 至少要有一档"
MSG_DUPLICATE_THRESHOLD = "{owner}的分档门槛 {bound} 重复出现"
MSG_WRONG_BOUND = "{owner}的分档在 direction 为 {direction} 时应写 {key},不能写 {other}"


@dataclass(frozen=True, slots=True)
class Tier:
    bound: Exact
    score: Exact | None = None
    fraction: Exact | None = None


@dataclass(frozen=True, slots=True)
class TiersParams(Params):
    tiers: tuple[Tier, ...]
    on: str = ON_VALUE
    direction: str = HIGHER
    else_: Exact = 0
    max: Exact | None = None
    # (bound, score) in the order they are tried; worked out from P once.
    table: tuple[tuple[Exact, Exact], ...] = field(default=(), compare=False)


class Tiers(RecordMethod):
    name = "tiers"
    roles = frozenset({BASIC, BONUS})
    keys = frozenset({"on", "direction", "tiers", "else"})
    reads = "value"

    def allowed_keys(self, role: str) -> frozenset[str]:
        return self.keys if role == BASIC else self.keys | {"max"}

    def read(self, check: Validation) -> TiersParams | None:
        reader = check.reader
        on = reader.choice("on", (ON_VALUE, ON_RATIO), ON_VALUE)
        direction = read_direction(reader)
        most = read_bonus_max(check)
        full = full_points(check, most)
        else_ = reader.number("else", default=0)
        check_at_most_full(check, "else", else_, full)
        tiers = _read_tiers(check, direction, full)
        if tiers is None or else_ is None or full is None:
            return None
        table = tuple(
            (t.bound, t.score if t.score is not None else full * (t.fraction or 0))
            for t in sorted(tiers, key=lambda t: t.bound, reverse=direction == HIGHER)
        )
        return TiersParams(tiers, on, direction, else_, most, table)

    def to_dict(self, params: Any) -> dict[str, Any]:
        key = "min" if params.direction == HIGHER else "max"
        tiers = []
        for tier in params.tiers:
            entry: dict[str, Any] = {key: exact_to_json(tier.bound)}
            if tier.score is not None:
                entry["score"] = exact_to_json(tier.score)
            else:
                entry["fraction"] = exact_to_json(tier.fraction)
            tiers.append(entry)
        out: dict[str, Any] = {
            "on": params.on,
            "direction": params.direction,
            "tiers": tiers,
            "else": exact_to_json(params.else_),
        }
        if params.max is not None:
            out["max"] = exact_to_json(params.max)
        return out

    def needs_target(self, params: Any) -> bool:
        return bool(params.on == ON_RATIO)

    def lowest(self, params: Any) -> Exact:
        return min([params.else_, *(score for _, score in params.table)])

    def score_records(
        self, params: Any, item: ItemInputs, rows: list[tuple[str, str, Record]]
    ) -> dict[str, Scored]:
        out: dict[str, Scored] = {}
        higher = params.direction == HIGHER
        on_ratio = params.on == ON_RATIO
        for township, _group, record in rows:
            v = record.value
            assert v is not None
            if on_ratio:
                t = item.target_of(township)
                assert t is not None
                metric = exact_div(v, t)
                why: tuple[tuple[str, object], ...] = (
                    ("v", v),
                    ("t", t),
                    ("r", metric),
                )
            else:
                metric = v
                why = (("v", v),)
            out[township] = _pick(params, metric, higher, why)
        return out


def _pick(
    params: TiersParams,
    metric: Exact,
    higher: bool,
    why: tuple[tuple[str, object], ...],
) -> Scored:
    for bound, score in params.table:
        if (metric >= bound) if higher else (metric <= bound):
            return score, (*why, ("tier", bound))
    return params.else_, (*why, ("tier", "else"))


def _read_tiers(
    check: Validation, direction: str, full: Exact | None
) -> tuple[Tier, ...] | None:
    reader = check.reader
    raw = reader.list("tiers", required=True)
    if raw is None:
        return None
    if not raw:
        reader.add("tiers", "empty", MSG_NO_TIERS.format(owner=reader.owner))
        return None
    key, other = ("min", "max") if direction == HIGHER else ("max", "min")
    tiers: list[Tier] = []
    seen: set[Exact] = set()
    ok = True
    for i, entry in enumerate(raw):
        path = f"{reader.at('tiers')}[{i}]"
        tier = _read_tier(check, entry, path, key, other, full, direction)
        if tier is None:
            ok = False
            continue
        if tier.bound in seen:
            reader.problems.add(
                f"{path}.{key}",
                "duplicate_threshold",
                MSG_DUPLICATE_THRESHOLD.format(
                    owner=reader.owner, bound=format_exact(tier.bound)
                ),
            )
            ok = False
        seen.add(tier.bound)
        tiers.append(tier)
    return tuple(tiers) if ok else None


def _read_tier(
    check: Validation,
    entry: object,
    path: str,
    key: str,
    other: str,
    full: Exact | None,
    direction: str,
) -> Tier | None:
    owner = check.owner
    sub = object_reader(entry, path, check.problems, owner)
    if sub is None:
        return None
    sub.only({key, other, "score", "fraction"})
    if sub.has(other):
        sub.add(
            other,
            "wrong_tier_bound",
            MSG_WRONG_BOUND.format(
                owner=owner, direction=direction, key=key, other=other
            ),
        )
        return None
    bound = sub.number(key, required=True)
    which = exactly_one(sub, "score", "fraction")
    if which is None or bound is None:
        return None
    value = sub.number(which, required=True)
    if value is None:
        return None
    if which == "score":
        check_at_most_full(check, which, value, full, path=sub.at(which))
        return Tier(bound, score=value)
    check_fraction(check, sub, which, value)
    return Tier(bound, fraction=value)
