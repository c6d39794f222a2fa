"""Methods where a department judges the township: ``grade``, ``checklist``,
``manual``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from indicators.methods.base import (
    ItemInputs,
    RecordMethod,
    Scored,
    Validation,
    check_fraction,
    read_bonus_max,
    read_code_points,
)
from indicators.numbers import Exact, Reader, exact_to_json, format_exact, object_reader
from indicators.spec import BASIC, BONUS, PENALTY, Params, Record

MSG_UNKNOWN_GRADE = "{owner}的等级 “{grade}” 不在该指标的等级 {known} 中"
MSG_NO_ITEMS = "{owner}的 items 至少要有一项"
MSG_DUPLICATE_ITEM_ID = "{owner}的评分项 id “{id}” 重复"
MSG_CHECKLIST_SUM = "{owner}的评分项分值合计为 {total},与指标分值 {points} 不一致"
MSG_UNKNOWN_ITEM = "{owner}的评分项 “{id}” 不在该指标的评分项 {known} 中"
MSG_ITEM_TWICE = "{owner}的评分项 “{id}” 重复填报"
MSG_MANUAL_RANGE = "{owner}的得分 {value} 超出范围 [0, {full}]"


@dataclass(frozen=True, slots=True)
class GradeParams(Params):
    grades: tuple[tuple[str, Exact], ...]


class GradeMethod(RecordMethod):
    name = "grade"
    roles = frozenset({BASIC})
    keys = frozenset({"grades"})
    reads = "grade"

    def read(self, check: Validation) -> GradeParams | None:
        grades = read_code_points(check.reader, "grades")
        if grades is None:
            return None
        sub = Reader(
            check.reader.data["grades"],
            check.reader.at("grades"),
            check.problems,
            check.owner,
        )
        for letter, fraction in grades:
            check_fraction(check, sub, letter, fraction)
        return GradeParams(grades)

    def to_dict(self, params: Any) -> dict[str, Any]:
        return {"grades": {k: exact_to_json(v) for k, v in params.grades}}

    def check_record(
        self, params: Any, record: Record, *, points: Exact | None, reader: Reader
    ) -> None:
        letters = [letter for letter, _ in params.grades]
        if record.grade not in letters:
            reader.add(
                "grade",
                "unknown_grade",
                MSG_UNKNOWN_GRADE.format(
                    owner=reader.owner, grade=record.grade, known="、".join(letters)
                ),
            )

    def score_records(
        self, params: Any, item: ItemInputs, rows: list[tuple[str, str, Record]]
    ) -> dict[str, Scored]:
        points = item.points
        assert points is not None
        table = {letter: points * fraction for letter, fraction in params.grades}
        return {
            township: (table[record.grade], (("grade", record.grade),))
            for township, _group, record in rows
            if record.grade is not None
        }


@dataclass(frozen=True, slots=True)
class ChecklistParams(Params):
    items: tuple[tuple[str, Exact], ...]


class Checklist(RecordMethod):
    name = "checklist"
    roles = frozenset({BASIC})
    keys = frozenset({"items"})
    reads = "items"

    def read(self, check: Validation) -> ChecklistParams | None:
        reader = check.reader
        raw = reader.list("items", required=True)
        if raw is None:
            return None
        if not raw:
            reader.add("items", "empty", MSG_NO_ITEMS.format(owner=check.owner))
            return None
        items: list[tuple[str, Exact]] = []
        seen: set[str] = set()
        ok = True
        for i, entry in enumerate(raw):
            sub = object_reader(
                entry, f"{reader.at('items')}[{i}]", check.problems, check.owner
            )
            if sub is None:
                ok = False
                continue
            sub.only({"id", "points"})
            item_id = sub.text("id")
            points = sub.number("points", required=True, minimum=0)
            if item_id is not None and item_id in seen:
                sub.add(
                    "id",
                    "duplicate_item",
                    MSG_DUPLICATE_ITEM_ID.format(owner=check.owner, id=item_id),
                )
                ok = False
            if item_id is None or points is None:
                ok = False
                continue
            seen.add(item_id)
            items.append((item_id, points))
        if not ok:
            return None
        total = sum(p for _, p in items)
        if check.points is not None and total != check.points:
            reader.add(
                "items",
                "checklist_sum",
                MSG_CHECKLIST_SUM.format(
                    owner=check.owner,
                    total=format_exact(total),
                    points=format_exact(check.points),
                ),
            )
            return None
        return ChecklistParams(tuple(items))

    def to_dict(self, params: Any) -> dict[str, Any]:
        return {
            "items": [{"id": i, "points": exact_to_json(p)} for i, p in params.items]
        }

    def check_record(
        self, params: Any, record: Record, *, points: Exact | None, reader: Reader
    ) -> None:
        known = [item_id for item_id, _ in params.items]
        seen: set[str] = set()
        for i, item_id in enumerate(record.items or ()):
            key = f"items[{i}]"
            if item_id not in known:
                reader.add(
                    key,
                    "unknown_item",
                    MSG_UNKNOWN_ITEM.format(
                        owner=reader.owner, id=item_id, known="、".join(known)
                    ),
                )
            elif item_id in seen:
                reader.add(
                    key,
                    "item_twice",
                    MSG_ITEM_TWICE.format(owner=reader.owner, id=item_id),
                )
            seen.add(item_id)

    def score_records(
        self, params: Any, item: ItemInputs, rows: list[tuple[str, str, Record]]
    ) -> dict[str, Scored]:
        table = dict(params.items)
        out: dict[str, Scored] = {}
        for township, _group, record in rows:
            met = record.items or ()
            out[township] = (sum(table[i] for i in met), (("items", met),))
        return out


@dataclass(frozen=True, slots=True)
class ManualParams(Params):
    max: Exact | None = None


class Manual(RecordMethod):
    name = "manual"
    roles = frozenset({BASIC, BONUS, PENALTY})
    reads = "score"

    def allowed_keys(self, role: str) -> frozenset[str]:
        return frozenset() if role == BASIC else frozenset({"max"})

    def read(self, check: Validation) -> ManualParams | None:
        if check.role == BASIC:
            return ManualParams()
        most = read_bonus_max(check)
        return None if most is None else ManualParams(most)

    def to_dict(self, params: Any) -> dict[str, Any]:
        return {} if params.max is None else {"max": exact_to_json(params.max)}

    def check_record(
        self, params: Any, record: Record, *, points: Exact | None, reader: Reader
    ) -> None:
        full = points if params.max is None else params.max
        score = record.score
        if score is not None and full is not None and not 0 <= score <= full:
            reader.add(
                "score",
                "score_out_of_range",
                MSG_MANUAL_RANGE.format(
                    owner=reader.owner,
                    value=format_exact(score),
                    full=format_exact(full),
                ),
            )

    def score_records(
        self, params: Any, item: ItemInputs, rows: list[tuple[str, str, Record]]
    ) -> dict[str, Scored]:
        sign = -1 if item.role == PENALTY else 1
        out: dict[str, Scored] = {}
        for township, _group, record in rows:
            score = record.score
            assert score is not None
            out[township] = (sign * score, (("score", score),))
        return out
