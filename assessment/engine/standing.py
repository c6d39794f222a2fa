"""Ranks and grades from published totals (scoring.md sections 7 and 8)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from indicators.spec import LAST, SCOPE_ALL, Plan


@dataclass(frozen=True, slots=True)
class Standing:
    """The published figures a township is ranked and graded on."""

    code: str
    group: str
    total: Decimal
    basic: Decimal
    bonus: Decimal
    penalty: Decimal
    vetoed: bool


@dataclass(frozen=True, slots=True)
class Placing:
    rank: int
    group_rank: int
    grade: str | None


SortKey = tuple[object, ...]


def place(plan: Plan, rows: Sequence[Standing]) -> dict[str, Placing]:
    """Rank, group rank and grade of every township."""
    keys = {row.code: _key(plan, row) for row in rows}
    ordered = sorted(rows, key=lambda row: (keys[row.code], row.code))
    ranks = _ranks(ordered, keys)
    group_ranks: dict[str, int] = {}
    by_group: dict[str, list[Standing]] = {}
    for row in ordered:
        by_group.setdefault(row.group, []).append(row)
    for members in by_group.values():
        group_ranks.update(_ranks(members, keys))
    scopes = [ordered] if plan.grade_scope == SCOPE_ALL else list(by_group.values())
    grades: dict[str, str | None] = {}
    for members in scopes:
        grades.update(_grades(plan, members, keys))
    return {
        row.code: Placing(ranks[row.code], group_ranks[row.code], grades[row.code])
        for row in rows
    }


def _key(plan: Plan, row: Standing) -> SortKey:
    """Best first: total descending, then the tie-break keys. With ``veto.rank =
    last`` vetoed townships come after every other one."""
    parts: list[object] = [row.vetoed and plan.veto.rank == LAST, -row.total]
    for name in plan.tie_break:
        parts.append(row.penalty if name == "penalty" else -getattr(row, name))
    return tuple(parts)


def _ranks(ordered: Sequence[Standing], keys: dict[str, SortKey]) -> dict[str, int]:
    """Competition ranks (1, 2, 2, 4) of rows already in order."""
    out: dict[str, int] = {}
    previous: SortKey | None = None
    rank = 0
    for position, row in enumerate(ordered, start=1):
        key = keys[row.code]
        if key != previous:
            rank, previous = position, key
        out[row.code] = rank
    return out


def _blocks(
    ordered: Sequence[Standing], keys: dict[str, SortKey]
) -> list[list[Standing]]:
    """Rows sharing a rank, together."""
    blocks: list[list[Standing]] = []
    for row in ordered:
        if blocks and keys[blocks[-1][0].code] == keys[row.code]:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    return blocks


def _grades(
    plan: Plan, ordered: Sequence[Standing], keys: dict[str, SortKey]
) -> dict[str, str | None]:
    grades = plan.grades
    size = len(ordered)
    room = [_room(g.quota, g.count, size) for g in grades]
    closed = [False] * len(grades)
    best_vetoed = plan.grade_index(plan.veto.max_grade) or 0
    given: dict[str, int | None] = {}
    for block in _blocks(ordered, keys):
        pending = list(block)
        for index, grade in enumerate(grades):
            if not pending:
                break
            takers = [
                row
                for row in pending
                if (grade.min is None or row.total >= grade.min)
                and not (row.vetoed and index < best_vetoed)
            ]
            if not takers or closed[index]:
                continue
            left = room[index]
            if left is not None and len(takers) > left:
                # Those sharing a rank are placed together or not at all; the
                # grade is then closed to everyone ranked below them.
                closed[index] = True
                continue
            if left is not None:
                room[index] = left - len(takers)
            for row in takers:
                given[row.code] = index
            pending = [row for row in pending if row.code not in given]
    return {row.code: _dropped(plan, row, given.get(row.code)) for row in ordered}


def _room(quota: object, count: int | None, size: int) -> int | None:
    limits = []
    if quota is not None:
        limits.append(math.floor(quota * size))  # type: ignore[operator]
    if count is not None:
        limits.append(count)
    return min(limits) if limits else None


def _dropped(plan: Plan, row: Standing, index: int | None) -> str | None:
    """``grade_drop`` after placing: the place left is not refilled, and the
    township takes no room in the grade it lands in."""
    if index is None:
        return None
    if row.vetoed and plan.veto.grade_drop:
        index = min(index + plan.veto.grade_drop, len(plan.grades) - 1)
    return plan.grades[index].code
