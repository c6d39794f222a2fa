"""What changed between two versions of a plan (two plan documents)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

SETTINGS = (
    "name",
    "year",
    "precision",
    "rounding",
    "na_policy",
    "bonus_cap",
    "penalty_cap",
    "tie_break",
    "grades",
    "grade_scope",
    "veto",
    "groups",
    "departments",
    "periods",
)


@dataclass(frozen=True)
class Change:
    key: str
    old: Any
    new: Any


@dataclass(frozen=True)
class NodeChange:
    code: str
    name: str
    changes: tuple[Change, ...] = ()


@dataclass
class PlanDiff:
    settings: list[Change] = field(default_factory=list)
    added: list[NodeChange] = field(default_factory=list)
    removed: list[NodeChange] = field(default_factory=list)
    changed: list[NodeChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.settings or self.added or self.removed or self.changed)


def _nodes(
    nodes: list[Mapping[str, Any]], parent: str | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    for node in nodes:
        flat = {k: v for k, v in node.items() if k != "children"}
        flat["parent"] = parent
        yield node["code"], flat
        yield from _nodes(node.get("children", []), node["code"])


def _normal(value: Any) -> Any:
    """Compare numbers by value: 10, "10" and Decimal("10.0") are the same."""
    from decimal import Decimal, InvalidOperation

    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal | str):
        try:
            return Decimal(str(value)).normalize()
        except InvalidOperation:
            return value
    if isinstance(value, Mapping):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    return value


def plan_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> PlanDiff:
    diff = PlanDiff()
    for key in SETTINGS:
        if _normal(old.get(key)) != _normal(new.get(key)):
            diff.settings.append(Change(key, old.get(key), new.get(key)))
    before = dict(_nodes(old.get("indicators", [])))
    after = dict(_nodes(new.get("indicators", [])))
    for code, node in after.items():
        if code not in before:
            diff.added.append(NodeChange(code, node.get("name", "")))
            continue
        previous = before[code]
        changes = tuple(
            Change(key, previous.get(key), node.get(key))
            for key in sorted(set(previous) | set(node))
            if _normal(previous.get(key)) != _normal(node.get(key))
        )
        if changes:
            diff.changed.append(NodeChange(code, node.get("name", ""), changes))
    diff.removed = [
        NodeChange(code, node.get("name", ""))
        for code, node in before.items()
        if code not in after
    ]
    return diff
