"""Methods that read events: ``deduct`` (basic), ``events`` (penalty and veto),
with repeat escalation (scoring.md section 5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from indicators.methods.base import (
    ItemInputs,
    MethodType,
    Scored,
    Validation,
    exactly_one,
    read_code_points,
)
from indicators.numbers import Exact, Reader, exact_to_json
from indicators.spec import BASIC, PENALTY, VETO, Event, Params

MSG_UNKNOWN_EVENT_TYPE = "{owner}的事件类型 “{type}” 不在该指标的 per_type {known} 中"
MSG_MISSING_EVENT_TYPE = "{owner}缺少事件类型 type(该指标按类型扣分:{known})"

NOT_TRIGGERED: Scored = (0, ())


@dataclass(frozen=True, slots=True)
class Repeat:
    window_days: int
    multipliers: tuple[Exact, ...]


@dataclass(frozen=True, slots=True)
class EventsParams(Params):
    per: Exact | None = None
    per_type: tuple[tuple[str, Exact], ...] | None = None
    repeat: Repeat | None = None
    max: Exact | None = None


class _EventsBase(MethodType):
    reads_events = True

    def read_deductions(self, check: Validation) -> EventsParams | None:
        reader = check.reader
        which = exactly_one(reader, "per", "per_type")
        per = per_type = None
        if which == "per":
            per = reader.number("per", required=True, minimum=0)
        elif which == "per_type":
            per_type = read_code_points(reader, "per_type")
        repeat = _read_repeat(reader)
        most = (
            reader.number("max", minimum=0)
            if "max" in self.allowed_keys(check.role)
            else None
        )
        if per is None and per_type is None:
            return None
        if reader.has("repeat") and repeat is None:
            return None
        return EventsParams(per, per_type, repeat, most)

    def to_dict(self, params: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if params.per is not None:
            out["per"] = exact_to_json(params.per)
        if params.per_type is not None:
            out["per_type"] = {k: exact_to_json(v) for k, v in params.per_type}
        if params.repeat is not None:
            out["repeat"] = {
                "window_days": params.repeat.window_days,
                "multipliers": [exact_to_json(m) for m in params.repeat.multipliers],
            }
        if params.max is not None:
            out["max"] = exact_to_json(params.max)
        return out

    def check_event(self, params: Any, event: Event, *, reader: Reader) -> None:
        if params.per_type is None:
            return
        known = [code for code, _ in params.per_type]
        if event.type is None:
            reader.add(
                "type",
                "missing_field",
                MSG_MISSING_EVENT_TYPE.format(
                    owner=reader.owner, known="、".join(known)
                ),
            )
        elif event.type not in known:
            reader.add(
                "type",
                "unknown_event_type",
                MSG_UNKNOWN_EVENT_TYPE.format(
                    owner=reader.owner, type=event.type, known="、".join(known)
                ),
            )

    def deductions(
        self, params: EventsParams, item: ItemInputs
    ) -> dict[str, tuple[Exact, list[tuple[str, Exact]]]]:
        """Per township: Σ per(e)·m(e) over its events of the period, and the
        (event id, deduction) pairs behind it."""
        factors = multipliers(item.events, params.repeat)
        per_type = dict(params.per_type) if params.per_type is not None else None
        out: dict[str, tuple[Exact, list[tuple[str, Exact]]]] = {}
        start = item.start
        for event in item.events:
            if event.date < start:
                continue
            base = per_type[event.type or ""] if per_type is not None else params.per
            assert base is not None
            amount = base * factors[event.id] if factors else base
            total, steps = out.get(event.township, (0, []))
            steps.append((event.id, amount))
            out[event.township] = (total + amount, steps)
        return out


class Deduct(_EventsBase):
    name = "deduct"
    roles = frozenset({BASIC})
    keys = frozenset({"per", "per_type", "repeat"})

    def read(self, check: Validation) -> EventsParams | None:
        return self.read_deductions(check)

    def score(self, params: Any, item: ItemInputs) -> dict[str, Scored]:
        points = item.points
        assert points is not None
        found = self.deductions(params, item)
        out: dict[str, Scored] = {}
        for township, _group in item.assessed:
            total, steps = found.get(township, (0, []))
            score = points - total
            out[township] = (
                score if score > 0 else 0,
                (("deducted", total), ("events", tuple(steps))),
            )
        return out


class Events(_EventsBase):
    name = "events"
    roles = frozenset({PENALTY, VETO})
    keys = frozenset({"per", "per_type", "repeat", "max"})

    def allowed_keys(self, role: str) -> frozenset[str]:
        return frozenset() if role == VETO else self.keys

    def read(self, check: Validation) -> EventsParams | None:
        if check.role == VETO:
            return EventsParams()
        return self.read_deductions(check)

    def check_event(self, params: Any, event: Event, *, reader: Reader) -> None:
        if params.per is not None or params.per_type is not None:
            super().check_event(params, event, reader=reader)

    def score(self, params: Any, item: ItemInputs) -> dict[str, Scored]:
        if item.role == VETO:
            return self._veto(item)
        found = self.deductions(params, item)
        most = params.max
        out: dict[str, Scored] = {}
        for township, _group in item.assessed:
            total, steps = found.get(township, (0, []))
            if most is not None and total > most:
                total = most
            out[township] = (-total, (("events", tuple(steps)),))
        return out

    def _veto(self, item: ItemInputs) -> dict[str, Scored]:
        start = item.start
        hits: dict[str, list[str]] = {}
        for event in item.events:
            if event.date >= start:
                hits.setdefault(event.township, []).append(event.id)
        out: dict[str, Scored] = {}
        for township, _group in item.assessed:
            ids = hits.get(township)
            out[township] = (1, (("events", tuple(ids)),)) if ids else NOT_TRIGGERED
        return out


def multipliers(events: Sequence[Event], repeat: Repeat | None) -> dict[str, Exact]:
    """m(e) for every event of one indicator, all townships and history
    included; ``events`` come in (date, id) order. Empty without ``repeat``."""
    if repeat is None:
        return {}
    factors = repeat.multipliers
    window = timedelta(days=repeat.window_days)
    out: dict[str, Exact] = {}
    episode_end = None
    k = 0
    for event in events:
        if episode_end is None or event.date > episode_end:
            episode_end = event.date + window
            k = 0
        k += 1
        out[event.id] = factors[min(k, len(factors)) - 1]
    return out


def _read_repeat(reader: Reader) -> Repeat | None:
    sub = reader.child("repeat", reader.owner)
    if sub is None:
        return None
    sub.only({"window_days", "multipliers"})
    window = sub.integer("window_days", required=True, minimum=0)
    factors = sub.numbers("multipliers", required=True, above=0)
    if window is None or factors is None:
        return None
    return Repeat(window, factors)
