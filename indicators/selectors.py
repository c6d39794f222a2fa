"""Reads of plans used in more than one place."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from indicators.models import Indicator, Plan, PlanStatus


def plans_of(county: Any) -> QuerySet[Plan]:
    return Plan.objects.filter(county=county)


def plan_current(county: Any, code: str) -> Plan | None:
    """The version data and computations use: the latest published one, or the
    draft while nothing is published yet (so the office can try a plan out)."""
    versions = plans_of(county).filter(code=code)
    published = (
        versions.filter(status=PlanStatus.PUBLISHED).order_by("-version").first()
    )
    return published or versions.order_by("-version").first()


@dataclass(frozen=True)
class TreeRow:
    """One line of the plan editor's tree."""

    node: Indicator
    depth: int
    parts_sum: Decimal | None  # a category: the points of its basic parts
    has_children: bool

    @property
    def mismatch(self) -> bool:
        node = self.node
        return (
            node.is_category
            and not node.scaled
            and node.points is not None
            and self.parts_sum is not None
            and node.points != self.parts_sum
        )


def plan_tree(plan: Plan) -> list[TreeRow]:
    """The tree in display order (one query), with each category's sum of parts
    beside its own points: basic items count their points, a scaled category
    its own points (scoring.md section 2)."""
    nodes = list(plan.indicators.order_by("position"))
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    rows: list[TreeRow] = []

    def weight(node: Indicator) -> Decimal:
        if node.is_category:
            if node.scaled:
                return node.points or Decimal(0)
            return sum((weight(c) for c in children[node.pk]), Decimal(0))
        return (node.points or Decimal(0)) if node.role == "basic" else Decimal(0)

    def walk(parent: int | None, depth: int) -> None:
        for node in children[parent]:
            parts = (
                sum((weight(c) for c in children[node.pk]), Decimal(0))
                if node.is_category
                else None
            )
            rows.append(TreeRow(node, depth, parts, bool(children[node.pk])))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return rows
