"""What every scoring method shares (scoring.md section 4).

A method type is one object holding, side by side, the validation of its
parameters (``validate``, returning frozen ``Params``), the checks its inputs
need (``check_record``, ``check_event``, ``check_award``) and its score function.

A score function scores one indicator for every township assessed on it in one
call, so that what is shared by the townships (scope figures, ranks, repeat
multipliers) is worked out once per indicator rather than once per township.
Each score carries a compact explanation: ``(name, value)`` pairs of the inputs
and intermediate values, exact; ``explain`` renders them as text when a page asks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from indicators.errors import ProblemList
from indicators.numbers import Exact, Reader, exact_div, format_exact
from indicators.spec import (
    BASIC,
    DIRECTIONS,
    HIGHER,
    SCOPE_ALL,
    SCOPE_GROUP,
    SCOPES,
    Award,
    Event,
    Params,
    Record,
)

Why = tuple[tuple[str, object], ...]
Scored = tuple[Exact, Why]

MSG_SCORE_ABOVE_FULL = "{owner}的 {key} 不能超过分值 {points},实际为 {value}"
MSG_NEGATIVE_NOT_ALLOWED = "{owner}的 {key} 在{role}上不能为负数,实际为 {value}"
MSG_ONE_OF = "{owner}须给出 {first} 或 {second} 之一(且只能给一个)"
MSG_EMPTY = "{owner}的 {key} 不能为空"
MSG_DUPLICATE_KEY = "{owner}的 {key} 中 “{value}” 重复出现"
MSG_FRACTION_ABOVE_ONE = "{owner}的 {key} 不能大于 1,实际为 {value}"
MSG_LO_ABOVE_HI = "{owner}的下限 lo({lo})大于上限 hi({hi})"

ROLE_NAMES = {
    "basic": "基本项",
    "bonus": "加分项",
    "penalty": "扣分项",
    "veto": "一票否决项",
}
NO_RECORD: Why = (("no_record", True),)


@dataclass(slots=True)
class ItemInputs:
    """One indicator's inputs in one period, as its score function sees them.

    ``assessed`` lists (township, group) of the townships the item applies to
    and that are not exempted, in code order; ``points`` is the item's points
    (``None`` off basic items); ``events`` hold the indicator's events for all
    townships, history included, in (date, id) order.
    """

    code: str
    role: str
    points: Exact | None
    target: Exact | None
    assessed: Sequence[tuple[str, str]]
    records: Mapping[str, Record]
    targets: Mapping[str, Exact]
    events: Sequence[Event]
    awards: Sequence[Award]
    start: date

    def target_of(self, township: str) -> Exact | None:
        return self.targets.get(township, self.target)


@dataclass(frozen=True, slots=True)
class Validation:
    """What a parameter validation is told about the item it validates."""

    role: str
    points: Exact | None
    reader: Reader

    @property
    def owner(self) -> str:
        return self.reader.owner

    @property
    def problems(self) -> ProblemList:
        return self.reader.problems


class MethodType:
    """Base of the method types; subclasses override what they use."""

    name: ClassVar[str]
    roles: ClassVar[frozenset[str]]
    keys: ClassVar[frozenset[str]] = frozenset()
    # The record field the method reads, or None when it reads events/awards.
    reads: ClassVar[str | None] = None
    reads_events: ClassVar[bool] = False
    reads_awards: ClassVar[bool] = False

    def validate(
        self,
        params: Mapping[str, Any],
        *,
        role: str,
        points: Exact | None,
        path: str,
        problems: ProblemList,
        owner: str = "",
    ) -> Params | None:
        """Validated parameters, or ``None`` after adding the problems found."""
        before = len(problems.problems)
        reader = Reader(params, path, problems, owner or path)
        reader.only({"type", *self.allowed_keys(role)})
        result = self.read(Validation(role, points, reader))
        return result if len(problems.problems) == before else None

    def allowed_keys(self, role: str) -> frozenset[str]:
        return self.keys

    def read(self, check: Validation) -> Params | None:
        raise NotImplementedError

    def to_dict(self, params: Params) -> dict[str, Any]:
        raise NotImplementedError

    def needs_target(self, params: Params) -> bool:
        return False

    def lowest(self, params: Params) -> Exact:
        """The lowest score the method can give (what no record scores if < 0)."""
        return 0

    def check_record(
        self, params: Params, record: Record, *, points: Exact | None, reader: Reader
    ) -> None:
        """Method-specific checks of a record's field (grade letter, items …)."""

    def check_event(self, params: Params, event: Event, *, reader: Reader) -> None:
        """Method-specific checks of an event (its type)."""

    def check_award(self, params: Params, award: Award, *, reader: Reader) -> None:
        """Method-specific checks of an award (its level)."""

    def score(self, params: Params, item: ItemInputs) -> dict[str, Scored]:
        """Score every assessed township: ``{township: (exact score, why)}``."""
        raise NotImplementedError


class RecordMethod(MethodType):
    """A method scored from records: no record scores 0, or the lowest score
    the method can give when that is below 0 (not submitting never beats
    submitting), and stays out of the item's scope figures."""

    def score(self, params: Params, item: ItemInputs) -> dict[str, Scored]:
        rows: list[tuple[str, str, Record]] = []
        missing: list[str] = []
        records = item.records
        for township, group in item.assessed:
            record = records.get(township)
            if record is None:
                missing.append(township)
            else:
                rows.append((township, group, record))
        scores = self.score_records(params, item, rows) if rows else {}
        if missing:
            nothing: Scored = (min(0, self.lowest(params)), NO_RECORD)
            for township in missing:
                scores[township] = nothing
        return scores

    def score_records(
        self, params: Params, item: ItemInputs, rows: list[tuple[str, str, Record]]
    ) -> dict[str, Scored]:
        raise NotImplementedError


# --- shared parameter readers -----------------------------------------------


def read_direction(reader: Reader) -> str:
    return reader.choice("direction", DIRECTIONS, HIGHER)


def read_scope(reader: Reader) -> str:
    return reader.choice("scope", SCOPES, SCOPE_GROUP)


def read_bonus_max(check: Validation) -> Exact | None:
    """``max`` stands in for P on bonus and penalty items and is required there."""
    if check.role == BASIC:
        return None
    return check.reader.number("max", required=True, minimum=0)


def full_points(check: Validation, bonus_max: Exact | None) -> Exact | None:
    return check.points if check.role == BASIC else bonus_max


def check_at_most_full(
    check: Validation, key: str, value: Exact | None, full: Exact | None, path: str = ""
) -> None:
    """A score parameter may not exceed P; off basic items it may not be < 0."""
    if value is None:
        return
    reader = check.reader
    where = path or reader.at(key)
    if full is not None and value > full:
        reader.problems.add(
            where,
            "above_points",
            MSG_SCORE_ABOVE_FULL.format(
                owner=check.owner,
                key=key,
                points=format_exact(full),
                value=format_exact(value),
            ),
        )
    if check.role != BASIC and value < 0:
        reader.problems.add(
            where,
            "negative_not_allowed",
            MSG_NEGATIVE_NOT_ALLOWED.format(
                owner=check.owner,
                key=key,
                role=ROLE_NAMES[check.role],
                value=format_exact(value),
            ),
        )


def check_fraction(check: Validation, reader: Reader, key: str, value: Exact) -> None:
    """A share of P: at most 1, and not negative off basic items."""
    if value > 1:
        reader.add(
            key,
            "fraction_above_one",
            MSG_FRACTION_ABOVE_ONE.format(
                owner=check.owner, key=key, value=format_exact(value)
            ),
        )
    check_at_most_full(check, key, value, None, path=reader.at(key))


def read_code_points(
    reader: Reader, key: str, *, minimum: Exact | None = 0
) -> tuple[tuple[str, Exact], ...] | None:
    """An object mapping codes (letters, levels, event types) to numbers."""
    raw = reader.mapping(key, required=True)
    if raw is None:
        return None
    if not raw:
        reader.add(key, "empty", MSG_EMPTY.format(owner=reader.owner, key=key))
        return None
    sub = Reader(raw, reader.at(key), reader.problems, reader.owner)
    pairs: list[tuple[str, Exact]] = []
    for code in raw:
        value = sub.number(str(code), required=True, minimum=minimum)
        if value is not None:
            pairs.append((str(code), value))
    return tuple(pairs) if len(pairs) == len(raw) else None


def exactly_one(reader: Reader, first: str, second: str) -> str | None:
    """Which of two alternative keys is given; a problem unless exactly one."""
    has_first, has_second = reader.has(first), reader.has(second)
    if has_first == has_second:
        reader.add(
            "",
            "one_of",
            MSG_ONE_OF.format(owner=reader.owner, first=first, second=second),
        )
        return None
    return first if has_first else second


# --- scope ------------------------------------------------------------------


def scope_key(scope: str, group: str) -> str:
    return "" if scope == SCOPE_ALL else group


def by_scope(
    scope: str, rows: list[tuple[str, str, Record]]
) -> dict[str, list[tuple[str, Exact]]]:
    """The townships with a value, split into scopes: one per group, or one."""
    buckets: dict[str, list[tuple[str, Exact]]] = {}
    for township, group, record in rows:
        value = record.value
        assert value is not None
        buckets.setdefault(scope_key(scope, group), []).append((township, value))
    return buckets


def ratio_of(v: Exact, t: Exact) -> Exact:
    return exact_div(v, t) if t else 0


def explain(why: Why) -> dict[str, str]:
    """An explanation as text: exact values written out (``"3.475"``, ``"1/3"``)."""
    out: dict[str, str] = {}
    for name, value in why:
        out[name] = _text(value)
    return out


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) or hasattr(value, "denominator"):
        return format_exact(value)  # type: ignore[arg-type]
    if isinstance(value, tuple | list):
        # A list of records (events, awards, components): "; " between them.
        nested = any(isinstance(v, tuple | list) for v in value)
        return ("; " if nested else " ").join(_text(v) for v in value)
    return str(value)
