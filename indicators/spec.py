"""The plan and a period's inputs as frozen dataclasses (scoring.md sections 2–3).

These are what the engine reads. They are built by ``plan_format.parse_plan`` and
``data_format.parse_period_data`` after validation; the constructors themselves
do not validate. Fields compare as data; what is derived from them for fast walks
(leaves in plan order, units, indexes) is computed once in ``__post_init__`` and
left out of comparisons.

Numbers are exact: ``int`` when whole, else ``Fraction`` (see ``numbers.Exact``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from indicators.numbers import Exact

BASIC = "basic"
BONUS = "bonus"
PENALTY = "penalty"
VETO = "veto"
ROLES = (BASIC, BONUS, PENALTY, VETO)

RESCALE = "rescale"
FULL = "full"
MEAN = "mean"
FIXED = "fixed"
NA_POLICIES = (RESCALE, FULL, MEAN, FIXED)

ROUND_ITEM = "item"
ROUND_FINAL = "final"
ROUNDINGS = (ROUND_ITEM, ROUND_FINAL)

TIE_BREAKS = ("basic", "bonus", "penalty")
SCOPE_GROUP = "group"
SCOPE_ALL = "all"
SCOPES = (SCOPE_GROUP, SCOPE_ALL)
HIGHER = "higher"
LOWER = "lower"
DIRECTIONS = (HIGHER, LOWER)
KEEP = "keep"
ZERO = "zero"
LAST = "last"


@dataclass(frozen=True, slots=True)
class Params:
    """Base of every method's validated parameters (see ``indicators.methods``)."""


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Group:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Component:
    """One period of a composite period and its weight."""

    period: str
    weight: Fraction


@dataclass(frozen=True, slots=True)
class Period:
    code: str
    name: str
    start: date | None = None
    end: date | None = None
    composition: tuple[Component, ...] = ()

    @property
    def is_composite(self) -> bool:
        return bool(self.composition)


@dataclass(frozen=True, slots=True)
class Grade:
    code: str
    name: str
    min: Exact | None = None
    quota: Exact | None = None
    count: int | None = None


@dataclass(frozen=True, slots=True)
class VetoRule:
    max_grade: str | None = None
    grade_drop: int = 0
    total: str = KEEP
    rank: str = KEEP


@dataclass(frozen=True, slots=True)
class Evidence:
    name: str
    min: int = 1


@dataclass(frozen=True, slots=True)
class Indicator:
    """A node of the tree: a category (has children) or a leaf item (has a role).

    ``method`` is the method type name and ``params`` its validated parameters.
    ``points`` is a category's points (optional) or a basic item's points.
    """

    code: str
    name: str
    points: Exact | None = None
    children: tuple[Indicator, ...] = ()
    scaled: bool = False
    role: str | None = None
    method: str | None = None
    params: Params | None = None
    groups: tuple[str, ...] | None = None
    target: Exact | None = None
    unit: str | None = None
    department: str | None = None
    evidence: tuple[Evidence, ...] = ()
    criteria: str | None = None
    na_policy: str | None = None
    na_score: Exact | None = None

    @property
    def is_category(self) -> bool:
        return bool(self.children)

    def applies_to(self, group: str) -> bool:
        return self.groups is None or group in self.groups


@dataclass(frozen=True, slots=True)
class Part:
    """A part of a unit: a basic leaf (``leaf`` ≥ 0) or a scaled unit (``unit``)."""

    points: Exact
    leaf: int = -1
    unit: int = -1


@dataclass(frozen=True, slots=True)
class Unit:
    """The root or a scaled category, with its parts (scoring.md section 6).

    ``full`` is F, the sum of its parts' points; ``points`` a scaled category's
    weight (``None`` for the root).
    """

    code: str | None
    points: Exact | None
    parts: tuple[Part, ...]
    full: Exact


@dataclass(frozen=True, slots=True)
class Plan:
    code: str
    name: str
    year: int
    indicators: tuple[Indicator, ...]
    departments: tuple[Department, ...] = ()
    groups: tuple[Group, ...] = ()
    periods: tuple[Period, ...] = ()
    precision: int = 2
    rounding: str = ROUND_ITEM
    na_policy: str = RESCALE
    bonus_cap: Exact | None = None
    penalty_cap: Exact | None = None
    tie_break: tuple[str, ...] = ()
    grades: tuple[Grade, ...] = ()
    grade_scope: str = SCOPE_GROUP
    veto: VetoRule = field(default_factory=VetoRule)

    # Derived once, for walks that must not re-walk the tree per township.
    leaves: tuple[Indicator, ...] = field(init=False, compare=False, repr=False)
    leaf_index: dict[str, int] = field(init=False, compare=False, repr=False)
    nodes: dict[str, Indicator] = field(init=False, compare=False, repr=False)
    parents: dict[str, str | None] = field(init=False, compare=False, repr=False)
    units: tuple[Unit, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        nodes: dict[str, Indicator] = {}
        parents: dict[str, str | None] = {}
        leaves: list[Indicator] = []
        _walk(self.indicators, None, nodes, parents, leaves)
        index = {leaf.code: i for i, leaf in enumerate(leaves)}
        units: list[Unit] = []
        _build_unit(None, None, self.indicators, index, units)
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "parents", parents)
        object.__setattr__(self, "leaves", tuple(leaves))
        object.__setattr__(self, "leaf_index", index)
        object.__setattr__(self, "units", tuple(units))

    def period(self, code: str) -> Period | None:
        for period in self.periods:
            if period.code == code:
                return period
        return None

    def na_policy_of(self, leaf: Indicator) -> str:
        return leaf.na_policy or self.na_policy

    def grade_index(self, code: str | None) -> int | None:
        for i, grade in enumerate(self.grades):
            if grade.code == code:
                return i
        return None


def _walk(
    nodes_in: tuple[Indicator, ...],
    parent: str | None,
    nodes: dict[str, Indicator],
    parents: dict[str, str | None],
    leaves: list[Indicator],
) -> None:
    for node in nodes_in:
        nodes[node.code] = node
        parents[node.code] = parent
        if node.is_category:
            _walk(node.children, node.code, nodes, parents, leaves)
        else:
            leaves.append(node)


def _build_unit(
    code: str | None,
    points: Exact | None,
    children: tuple[Indicator, ...],
    index: dict[str, int],
    units: list[Unit],
) -> int:
    """Append the unit and the scaled units inside it, children first."""
    parts: list[Part] = []
    _collect_parts(children, index, units, parts)
    full = sum((p.points for p in parts), 0)
    units.append(Unit(code, points, tuple(parts), full))
    return len(units) - 1


def _collect_parts(
    children: tuple[Indicator, ...],
    index: dict[str, int],
    units: list[Unit],
    parts: list[Part],
) -> None:
    for node in children:
        if node.is_category and node.scaled:
            sub = _build_unit(node.code, node.points, node.children, index, units)
            parts.append(Part(node.points or 0, unit=sub))
        elif node.is_category:
            _collect_parts(node.children, index, units, parts)
        elif node.role == BASIC:
            parts.append(Part(node.points or 0, leaf=index[node.code]))


# --- a period's inputs ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Township:
    code: str
    name: str
    group: str


@dataclass(frozen=True, slots=True)
class Record:
    """A township's input for one item: the field its method reads is set."""

    township: str
    indicator: str
    value: Exact | None = None
    grade: str | None = None
    items: tuple[str, ...] | None = None
    score: Exact | None = None


@dataclass(frozen=True, slots=True)
class TargetOverride:
    township: str
    indicator: str
    target: Exact


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    township: str
    indicator: str
    date: date
    type: str | None = None


@dataclass(frozen=True, slots=True)
class Award:
    id: str
    township: str
    indicator: str
    level: str
    subject: str | None = None


@dataclass(frozen=True, slots=True)
class Exemption:
    township: str
    indicator: str
    reason: str


@dataclass(frozen=True, slots=True)
class PeriodInputs:
    """Everything a period's computation reads besides the plan.

    The period's dates come from the plan. ``events`` include history (events
    before the period's start), which only counts for repeat escalation.
    """

    plan: str
    period: str
    townships: tuple[Township, ...]
    records: tuple[Record, ...] = ()
    targets: tuple[TargetOverride, ...] = ()
    events: tuple[Event, ...] = ()
    awards: tuple[Award, ...] = ()
    exemptions: tuple[Exemption, ...] = ()

    records_by_item: dict[str, dict[str, Record]] = field(
        init=False, compare=False, repr=False
    )
    targets_by_item: dict[str, dict[str, Exact]] = field(
        init=False, compare=False, repr=False
    )
    events_by_item: dict[str, tuple[Event, ...]] = field(
        init=False, compare=False, repr=False
    )
    awards_by_item: dict[str, tuple[Award, ...]] = field(
        init=False, compare=False, repr=False
    )
    exempt: frozenset[tuple[str, str]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        records: defaultdict[str, dict[str, Record]] = defaultdict(dict)
        for record in self.records:
            records[record.indicator][record.township] = record
        targets: defaultdict[str, dict[str, Exact]] = defaultdict(dict)
        for target in self.targets:
            targets[target.indicator][target.township] = target.target
        # Date then id as text: the order repeat escalation counts in, and
        # independent of the order the inputs arrived in.
        events: defaultdict[str, list[Event]] = defaultdict(list)
        for event in sorted(self.events, key=lambda e: (e.date, e.id)):
            events[event.indicator].append(event)
        awards: defaultdict[str, list[Award]] = defaultdict(list)
        for award in sorted(self.awards, key=lambda a: a.id):
            awards[award.indicator].append(award)
        exempt = frozenset((e.township, e.indicator) for e in self.exemptions)
        object.__setattr__(self, "records_by_item", dict(records))
        object.__setattr__(self, "targets_by_item", dict(targets))
        object.__setattr__(
            self, "events_by_item", {k: tuple(v) for k, v in events.items()}
        )
        object.__setattr__(
            self, "awards_by_item", {k: tuple(v) for k, v in awards.items()}
        )
        object.__setattr__(self, "exempt", exempt)
