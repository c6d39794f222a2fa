"""Plans in and out as ``assessment-plan/1`` (scoring.md section 2).

``parse_plan`` checks everything the spec says and reports every problem at
once (path, stable code, Chinese message); ``plan_to_dict`` writes the
canonical form, every default spelled out, so that
``parse_plan(plan_to_dict(p)) == p``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indicators.errors import ProblemList
from indicators.methods import METHODS
from indicators.methods.base import ROLE_NAMES
from indicators.numbers import (
    MSG_MISSING,
    Exact,
    Reader,
    exact_to_json,
    format_exact,
    join,
    object_reader,
    show,
)
from indicators.spec import (
    BASIC,
    FIXED,
    KEEP,
    LAST,
    NA_POLICIES,
    ROLES,
    ROUND_ITEM,
    ROUNDINGS,
    SCOPE_GROUP,
    SCOPES,
    TIE_BREAKS,
    ZERO,
    Component,
    Department,
    Evidence,
    Grade,
    Group,
    Indicator,
    Period,
    Plan,
    VetoRule,
)

FORMAT = "assessment-plan/1"
PLAN_KEYS = frozenset(
    {
        "format",
        "code",
        "name",
        "year",
        "precision",
        "rounding",
        "departments",
        "groups",
        "periods",
        "na_policy",
        "bonus_cap",
        "penalty_cap",
        "tie_break",
        "grades",
        "grade_scope",
        "veto",
        "indicators",
    }
)
CATEGORY_KEYS = frozenset({"code", "name", "points", "scaled", "children"})
LEAF_KEYS = frozenset(
    {
        "code",
        "name",
        "role",
        "points",
        "method",
        "groups",
        "target",
        "unit",
        "department",
        "evidence",
        "criteria",
        "na_policy",
        "na_score",
    }
)
MAX_PRECISION = 10

MSG_WRONG_FORMAT = "方案的 format 应为 “{expected}”,实际为 {value}"
MSG_NOT_AN_OBJECT = "方案应为一个对象({…})"
MSG_EMPTY = "{owner}的 {key} 不能为空"
MSG_DUPLICATE_CODE = "{kind}编码 “{code}” 重复({first} 已使用)"
MSG_UNKNOWN_CODE = "{owner}引用了不存在的{kind} “{code}”"
MSG_DUPLICATE_ENTRY = "{owner}的 {key} 中 “{code}” 重复"
MSG_DATE_ORDER = "考核周期 {code} 的开始日期 {start} 晚于结束日期 {end}"
MSG_COMPOSITION_SELF = "考核周期 {code} 不能由自身组成"
MSG_COMPOSITION_CYCLE = "考核周期 {code} 的组成形成循环:{cycle}"
MSG_GRADE_ORDER = (
    "等次应从高到低排列:等次 {code} 的最低分 {min} 高于前面等次 {prev} 的 {prev_min}"
)
MSG_POINTS_MISMATCH = (
    "类别 {code}({name})的分值为 {points},但其下基本项分值合计为 {total}"
)
MSG_SCALED_NEEDS_POINTS = "折算类别 {code}({name})须给出分值 points(即其权重)"
MSG_SCALED_WITHOUT_BASIC = "折算类别 {code}({name})之下没有任何基本项,无法折算"
MSG_POINTS_OFF_BASIC = "{role}指标 {code} 不设分值 points;请在计分方法中用 max 给出上限"
MSG_BAD_ROLE_METHOD = "{role}指标 {code} 不能使用计分方法 “{type}”,可用:{allowed}"
MSG_UNKNOWN_METHOD = "指标 {code} 的计分方法 “{type}” 不存在,可用:{allowed}"
MSG_NA_OFF_BASIC = "{role}指标 {code} 不适用 {key}(只有基本项有“无此项任务”的计分规则)"
MSG_NA_SCORE_UNUSED = (
    "指标 {code} 的 na_score 只在 na_policy 为 fixed 时使用,此处为 {policy}"
)
MSG_NA_SCORE_MISSING = (
    "指标 {code} 的 na_policy 为 fixed(无此项任务按固定分计),须给出 na_score"
)
MSG_NA_SCORE_ABOVE = "指标 {code} 的 na_score {value} 超过其分值 {points}"
MSG_TARGET_NOT_POSITIVE = (
    "{owner} 的计分方法按目标值计算比率,目标值必须大于 0,实际为 {value}"
)
MSG_NO_INDICATORS = "方案至少要有一个指标"


def parse_plan(data: Mapping[str, Any]) -> Plan:
    """The plan in ``data``; ``InvalidInput`` with every problem otherwise."""
    problems = ProblemList()
    if not isinstance(data, Mapping):
        problems.add("", "not_an_object", MSG_NOT_AN_OBJECT)
        problems.raise_if_any()
    plan = _PlanParser(Reader(data, "", problems, "方案")).parse()
    problems.raise_if_any()
    assert plan is not None
    return plan


class _PlanParser:
    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.problems = reader.problems
        self.groups: set[str] = set()
        self.departments: set[str] = set()
        self.codes: dict[str, str] = {}
        self.na_policy = "rescale"

    def parse(self) -> Plan | None:
        r = self.reader
        r.only(PLAN_KEYS)
        fmt = r.data.get("format")
        if fmt != FORMAT:
            r.add(
                "format",
                "wrong_format",
                MSG_WRONG_FORMAT.format(expected=FORMAT, value=show(fmt)),
            )
        code, name = r.text("code"), r.text("name")
        year = r.integer("year", required=True, minimum=1)
        precision = r.integer("precision", default=2, minimum=0, maximum=MAX_PRECISION)
        rounding = r.choice("rounding", ROUNDINGS, ROUND_ITEM)
        self.na_policy = r.choice("na_policy", NA_POLICIES, "rescale")
        bonus_cap = r.number("bonus_cap", minimum=0)
        penalty_cap = r.number("penalty_cap", minimum=0)
        tie_break = self._tie_break()
        departments = self._named_list(
            "departments", "部门", Department, required=False
        )
        groups = self._named_list("groups", "类别(分组)", Group, required=True)
        self.departments = {d.code for d in departments}
        self.groups = {g.code for g in groups}
        periods = self._periods()
        grades = self._grades()
        grade_scope = r.choice("grade_scope", SCOPES, SCOPE_GROUP)
        veto = self._veto({g.code for g in grades})
        indicators = self._indicators()
        if self.problems or None in (code, name, year, precision):
            return None
        assert code and name and year is not None and precision is not None
        return Plan(
            code=code,
            name=name,
            year=year,
            indicators=indicators,
            departments=departments,
            groups=groups,
            periods=periods,
            precision=precision,
            rounding=rounding,
            na_policy=self.na_policy,
            bonus_cap=bonus_cap,
            penalty_cap=penalty_cap,
            tie_break=tie_break,
            grades=grades,
            grade_scope=grade_scope,
            veto=veto,
        )

    # --- lists of named things ----------------------------------------------

    def _objects(self, key: str, owner: str, *, required: bool) -> list[Reader]:
        """Readers over the objects listed under ``key``."""
        raw = self.reader.list(key, required=required)
        if raw is None:
            return []
        if required and not raw:
            self.reader.add(key, "empty", MSG_EMPTY.format(owner="方案", key=key))
        out = []
        for i, entry in enumerate(raw):
            sub = object_reader(entry, f"{key}[{i}]", self.problems, f"{owner}[{i}]")
            if sub is not None:
                out.append(sub)
        return out

    def _unique(self, reader: Reader, kind: str, seen: dict[str, str]) -> str | None:
        code = reader.text("code")
        if code is None:
            return None
        if code in seen:
            reader.add(
                "code",
                "duplicate_code",
                MSG_DUPLICATE_CODE.format(kind=kind, code=code, first=seen[code]),
            )
            return None
        seen[code] = reader.path
        reader.owner = f"{kind} {code}"
        return code

    def _named_list(
        self, key: str, kind: str, cls: Any, *, required: bool
    ) -> tuple[Any, ...]:
        seen: dict[str, str] = {}
        out = []
        for sub in self._objects(key, kind, required=required):
            sub.only({"code", "name"})
            code = self._unique(sub, kind, seen)
            name = sub.text("name")
            if code is not None:
                # Known even when its name is bad, so references to it do not
                # add problems of their own (the plan is refused anyway).
                out.append(cls(code, name or ""))
        return tuple(out)

    def _tie_break(self) -> tuple[str, ...]:
        raw = self.reader.list("tie_break")
        out: list[str] = []
        for i, key in enumerate(raw or ()):
            path = f"tie_break[{i}]"
            if key not in TIE_BREAKS:
                self.problems.add(
                    path,
                    "not_a_choice",
                    MSG_UNKNOWN_CODE.format(
                        owner="方案的 tie_break ", kind="排名依据", code=key
                    ),
                )
            elif key in out:
                self.problems.add(
                    path,
                    "duplicate_entry",
                    MSG_DUPLICATE_ENTRY.format(owner="方案", key="tie_break", code=key),
                )
            else:
                out.append(key)
        return tuple(out)

    # --- periods --------------------------------------------------------------

    def _periods(self) -> tuple[Period, ...]:
        seen: dict[str, str] = {}
        periods: list[tuple[Reader, Period]] = []
        for sub in self._objects("periods", "考核周期", required=True):
            sub.only({"code", "name", "start", "end", "composition"})
            code = self._unique(sub, "考核周期", seen)
            name = sub.text("name")
            composite = sub.has("composition")
            start = sub.date("start", required=not composite)
            end = sub.date("end", required=not composite)
            if start and end and start > end:
                sub.add(
                    "end",
                    "date_order",
                    MSG_DATE_ORDER.format(code=code, start=start, end=end),
                )
            components = self._composition(sub, code) if composite else ()
            if code is not None:
                periods.append((sub, Period(code, name or "", start, end, components)))
        self._check_compositions(periods, set(seen))
        return tuple(p for _, p in periods)

    def _composition(self, reader: Reader, code: str | None) -> tuple[Component, ...]:
        raw = reader.list("composition", required=True) or []
        if not raw:
            reader.add(
                "composition",
                "empty",
                MSG_EMPTY.format(owner=reader.owner, key="composition"),
            )
        out: list[Component] = []
        for i, entry in enumerate(raw):
            path = join(reader.at("composition"), i)
            sub = object_reader(entry, path, self.problems, reader.owner)
            if sub is None:
                continue
            sub.only({"period", "weight"})
            period = sub.text("period")
            weight = sub.weight("weight")
            if period is not None and period in (c.period for c in out):
                sub.add(
                    "period",
                    "duplicate_entry",
                    MSG_DUPLICATE_ENTRY.format(
                        owner=reader.owner, key="composition", code=period
                    ),
                )
            elif period == code:
                sub.add(
                    "period", "composition_self", MSG_COMPOSITION_SELF.format(code=code)
                )
            elif period is not None and weight is not None:
                out.append(Component(period, weight))
        return tuple(out)

    def _check_compositions(
        self, periods: list[tuple[Reader, Period]], known: set[str]
    ) -> None:
        parts = {p.code: [c.period for c in p.composition] for _, p in periods}
        for reader, period in periods:
            for i, component in enumerate(period.composition):
                if component.period not in known:
                    self.problems.add(
                        f"{reader.at('composition')}[{i}].period",
                        "unknown_period",
                        MSG_UNKNOWN_CODE.format(
                            owner=reader.owner, kind="考核周期", code=component.period
                        ),
                    )
            cycle = _cycle_from(period.code, parts)
            if cycle:
                reader.add(
                    "composition",
                    "composition_cycle",
                    MSG_COMPOSITION_CYCLE.format(
                        code=period.code, cycle=" → ".join(cycle)
                    ),
                )

    # --- grades and veto -------------------------------------------------------

    def _grades(self) -> tuple[Grade, ...]:
        seen: dict[str, str] = {}
        out: list[Grade] = []
        previous: Grade | None = None
        for sub in self._objects("grades", "等次", required=False):
            sub.only({"code", "name", "min", "quota", "count"})
            code = self._unique(sub, "等次", seen)
            name = sub.text("name")
            low = sub.number("min")
            quota = sub.number("quota", above=0, maximum=1)
            count = sub.integer("count", minimum=1)
            if code is None or name is None:
                continue
            grade = Grade(code, name, low, quota, count)
            if low is not None:
                _check_grade_order(sub, grade, previous)
                previous = grade
            out.append(grade)
        return tuple(out)

    def _veto(self, grades: set[str]) -> VetoRule:
        sub = self.reader.child("veto", "方案的一票否决规则 veto")
        if sub is None:
            return VetoRule()
        sub.only({"max_grade", "grade_drop", "total", "rank"})
        max_grade = sub.text("max_grade", required=False)
        if max_grade is not None and max_grade not in grades:
            sub.add(
                "max_grade",
                "unknown_grade",
                MSG_UNKNOWN_CODE.format(owner=sub.owner, kind="等次", code=max_grade),
            )
        drop = sub.integer("grade_drop", default=0, minimum=0)
        total = sub.choice("total", (KEEP, ZERO), KEEP)
        rank = sub.choice("rank", (KEEP, LAST), KEEP)
        return VetoRule(max_grade, drop or 0, total, rank)

    # --- the indicator tree -----------------------------------------------------

    def _indicators(self) -> tuple[Indicator, ...]:
        raw = self.reader.list("indicators", required=True)
        if raw is not None and not raw:
            self.reader.add("indicators", "empty", MSG_NO_INDICATORS)
        nodes = self._nodes(raw or [], "indicators")
        return tuple(n for n in nodes if n is not None)

    def _nodes(self, raw: list[Any], path: str) -> list[Indicator | None]:
        out = []
        for i, entry in enumerate(raw):
            where = f"{path}[{i}]"
            sub = object_reader(entry, where, self.problems, f"指标 {where}")
            out.append(self._node(sub) if sub is not None else None)
        return out

    def _node(self, r: Reader) -> Indicator | None:
        code = self._unique(r, "指标", self.codes)
        name = r.text("name")
        if "children" in r.data:
            node = self._category(r, code, name)
        else:
            node = self._leaf(r, code, name)
        return node

    def _category(
        self, r: Reader, code: str | None, name: str | None
    ) -> Indicator | None:
        r.owner = f"类别 {code}"
        r.only(CATEGORY_KEYS)
        scaled = r.flag("scaled")
        points = r.number("points", minimum=0, above=0 if scaled else None)
        if scaled and not r.has("points"):
            r.add(
                "points",
                "scaled_needs_points",
                MSG_SCALED_NEEDS_POINTS.format(code=code, name=name),
            )
        raw = r.list("children", required=True) or []
        if not raw:
            r.add("children", "empty", MSG_EMPTY.format(owner=r.owner, key="children"))
        children = self._nodes(raw, r.at("children"))
        if code is None or name is None or None in children or not raw:
            return None
        kids = tuple(c for c in children if c is not None)
        node = Indicator(code, name, points=points, children=kids, scaled=scaled)
        self._check_points(node, r)
        return node

    def _leaf(self, r: Reader, code: str | None, name: str | None) -> Indicator | None:
        r.owner = f"指标 {code}"
        r.only(LEAF_KEYS)
        role = r.choice("role", ROLES, "") if r.has("role") else None
        if role is None:
            r.add(
                "role", "missing_field", MSG_MISSING.format(owner=r.owner, key="role")
            )
        points = self._leaf_points(r, code, role)
        groups = self._codes(r, "groups", self.groups, "类别(分组)")
        department = r.text("department", required=False)
        if department is not None and department not in self.departments:
            r.add(
                "department",
                "unknown_department",
                MSG_UNKNOWN_CODE.format(owner=r.owner, kind="部门", code=department),
            )
        target = r.number("target")
        method, params = self._method(r, code, role, points)
        if method is not None and params is not None:
            _check_target(r, METHODS[method].needs_target(params), target)
        na_policy, na_score = self._na(r, code, role, points)
        leaf = Indicator(
            code or "",
            name or "",
            points=points,
            role=role,
            method=method,
            params=params,
            groups=groups,
            target=target,
            unit=r.text("unit", required=False),
            department=department,
            evidence=self._evidence(r),
            criteria=r.text("criteria", required=False),
            na_policy=na_policy,
            na_score=na_score,
        )
        return None if code is None or name is None or not role else leaf

    def _leaf_points(
        self, r: Reader, code: str | None, role: str | None
    ) -> Exact | None:
        if role == BASIC:
            return r.number("points", required=True, above=0)
        if role and r.has("points"):
            r.add(
                "points",
                "points_off_basic",
                MSG_POINTS_OFF_BASIC.format(role=ROLE_NAMES[role], code=code),
            )
        return None

    def _codes(
        self, r: Reader, key: str, known: set[str], kind: str
    ) -> tuple[str, ...] | None:
        raw = r.list(key)
        if raw is None:
            return None
        if not raw:
            r.add(key, "empty", MSG_EMPTY.format(owner=r.owner, key=key))
        out: list[str] = []
        for i, code in enumerate(raw):
            path = f"{r.at(key)}[{i}]"
            if not isinstance(code, str) or code not in known:
                self.problems.add(
                    path,
                    "unknown_group",
                    MSG_UNKNOWN_CODE.format(owner=r.owner, kind=kind, code=code),
                )
            elif code in out:
                self.problems.add(
                    path,
                    "duplicate_entry",
                    MSG_DUPLICATE_ENTRY.format(owner=r.owner, key=key, code=code),
                )
            else:
                out.append(code)
        return tuple(out)

    def _method(
        self, r: Reader, code: str | None, role: str | None, points: Exact | None
    ) -> tuple[str | None, Any]:
        sub = r.child("method", r.owner, required=True)
        if sub is None or not role:
            return None, None
        kind = sub.data.get("type")
        if not isinstance(kind, str) or kind not in METHODS:
            sub.add(
                "type",
                "unknown_method",
                MSG_UNKNOWN_METHOD.format(code=code, type=kind, allowed=_allowed(role)),
            )
            return None, None
        method = METHODS[kind]
        if role not in method.roles:
            sub.add(
                "type",
                "method_not_for_role",
                MSG_BAD_ROLE_METHOD.format(
                    role=ROLE_NAMES[role], code=code, type=kind, allowed=_allowed(role)
                ),
            )
            return None, None
        params = method.validate(
            sub.data,
            role=role,
            points=points,
            path=sub.path,
            problems=self.problems,
            owner=r.owner,
        )
        return kind, params

    def _na(
        self, r: Reader, code: str | None, role: str | None, points: Exact | None
    ) -> tuple[str | None, Exact | None]:
        if role != BASIC:
            for key in ("na_policy", "na_score"):
                if role and r.has(key):
                    r.add(
                        key,
                        "na_off_basic",
                        MSG_NA_OFF_BASIC.format(
                            role=ROLE_NAMES[role], code=code, key=key
                        ),
                    )
            return None, None
        policy = r.choice("na_policy", NA_POLICIES, "") or None
        score = r.number("na_score", minimum=0)
        effective = policy or self.na_policy
        if score is not None and effective != FIXED:
            r.add(
                "na_score",
                "na_score_unused",
                MSG_NA_SCORE_UNUSED.format(code=code, policy=effective),
            )
        elif effective == FIXED and not r.has("na_score"):
            r.add(
                "na_score", "missing_na_score", MSG_NA_SCORE_MISSING.format(code=code)
            )
        elif score is not None and points is not None and score > points:
            r.add(
                "na_score",
                "na_score_above_points",
                MSG_NA_SCORE_ABOVE.format(
                    code=code, value=format_exact(score), points=format_exact(points)
                ),
            )
        return policy, score

    def _evidence(self, r: Reader) -> tuple[Evidence, ...]:
        raw = r.list("evidence") or []
        out = []
        for i, entry in enumerate(raw):
            sub = object_reader(
                entry,
                f"{r.at('evidence')}[{i}]",
                self.problems,
                f"{r.owner} 的佐证材料[{i}]",
            )
            if sub is None:
                continue
            sub.only({"name", "min"})
            name = sub.text("name")
            low = sub.integer("min", default=1, minimum=0)
            if name is not None and low is not None:
                out.append(Evidence(name, low))
        return tuple(out)

    # --- category points ----------------------------------------------------------

    def _check_points(self, node: Indicator, r: Reader) -> None:
        """A category's points against the basic points below it (checked as
        soon as its subtree is whole, so a broken sibling hides nothing)."""
        if node.scaled:
            if not _has_basic(node):
                r.add(
                    "",
                    "scaled_without_basic",
                    MSG_SCALED_WITHOUT_BASIC.format(code=node.code, name=node.name),
                )
            return
        total = sum((_weight(child) for child in node.children), 0)
        if node.points is not None and node.points != total:
            r.add(
                "points",
                "points_mismatch",
                MSG_POINTS_MISMATCH.format(
                    code=node.code,
                    name=node.name,
                    points=format_exact(node.points),
                    total=format_exact(total),
                ),
            )


def _weight(node: Indicator) -> Exact:
    """What a node counts in its parent category's points."""
    if node.scaled or not node.is_category:
        return node.points or 0 if node.scaled or node.role == BASIC else 0
    return sum((_weight(child) for child in node.children), 0)


def _check_grade_order(r: Reader, grade: Grade, previous: Grade | None) -> None:
    """Grades come best first: a later ``min`` may not exceed an earlier one."""
    if previous is None or previous.min is None or grade.min is None:
        return
    if grade.min > previous.min:
        r.add(
            "min",
            "grade_order",
            MSG_GRADE_ORDER.format(
                code=grade.code,
                min=format_exact(grade.min),
                prev=previous.code,
                prev_min=format_exact(previous.min),
            ),
        )


def _check_target(r: Reader, needed: bool, target: Exact | None) -> None:
    """A method that divides by the target needs it above 0."""
    if needed and target is not None and target <= 0:
        r.add(
            "target",
            "target_not_positive",
            MSG_TARGET_NOT_POSITIVE.format(owner=r.owner, value=format_exact(target)),
        )


def _has_basic(node: Indicator) -> bool:
    if not node.is_category:
        return node.role == BASIC
    return any(_has_basic(child) for child in node.children)


def _cycle_from(start: str, parts: dict[str, list[str]]) -> list[str] | None:
    """A composition path from ``start`` back to itself, if there is one."""
    stack = [(start, [start])]
    visited: set[str] = set()
    while stack:
        code, trail = stack.pop()
        for part in parts.get(code, ()):
            if part == start and len(trail) > 1:
                return [*trail, part]
            if part not in visited and part != start:
                visited.add(part)
                stack.append((part, [*trail, part]))
    return None


def _allowed(role: str) -> str:
    return "、".join(name for name, m in METHODS.items() if role in m.roles)


# --- out ------------------------------------------------------------------------


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as canonical ``assessment-plan/1`` (``numbers.dump_json`` writes it)."""
    return {
        "format": FORMAT,
        "code": plan.code,
        "name": plan.name,
        "year": plan.year,
        "precision": plan.precision,
        "rounding": plan.rounding,
        "departments": [{"code": d.code, "name": d.name} for d in plan.departments],
        "groups": [{"code": g.code, "name": g.name} for g in plan.groups],
        "periods": [_period_to_dict(p) for p in plan.periods],
        "na_policy": plan.na_policy,
        "bonus_cap": _opt(plan.bonus_cap),
        "penalty_cap": _opt(plan.penalty_cap),
        "tie_break": list(plan.tie_break),
        "grades": [_grade_to_dict(g) for g in plan.grades],
        "grade_scope": plan.grade_scope,
        "veto": {
            "max_grade": plan.veto.max_grade,
            "grade_drop": plan.veto.grade_drop,
            "total": plan.veto.total,
            "rank": plan.veto.rank,
        },
        "indicators": [_indicator_to_dict(i) for i in plan.indicators],
    }


def _opt(value: Exact | None) -> Any:
    return None if value is None else exact_to_json(value)


def _period_to_dict(period: Period) -> dict[str, Any]:
    out: dict[str, Any] = {"code": period.code, "name": period.name}
    if period.start is not None:
        out["start"] = period.start.isoformat()
    if period.end is not None:
        out["end"] = period.end.isoformat()
    if period.composition:
        out["composition"] = [
            {"period": c.period, "weight": exact_to_json(c.weight)}
            for c in period.composition
        ]
    return out


def _grade_to_dict(grade: Grade) -> dict[str, Any]:
    out: dict[str, Any] = {"code": grade.code, "name": grade.name}
    if grade.min is not None:
        out["min"] = exact_to_json(grade.min)
    if grade.quota is not None:
        out["quota"] = exact_to_json(grade.quota)
    if grade.count is not None:
        out["count"] = grade.count
    return out


def _indicator_to_dict(node: Indicator) -> dict[str, Any]:
    out: dict[str, Any] = {"code": node.code, "name": node.name}
    if node.is_category:
        if node.points is not None:
            out["points"] = exact_to_json(node.points)
        if node.scaled:
            out["scaled"] = True
        out["children"] = [_indicator_to_dict(c) for c in node.children]
        return out
    out["role"] = node.role
    if node.points is not None:
        out["points"] = exact_to_json(node.points)
    optional = {
        "department": node.department,
        "groups": list(node.groups) if node.groups is not None else None,
        "target": _opt(node.target),
        "unit": node.unit,
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    assert node.method is not None and node.params is not None
    out["method"] = {"type": node.method, **METHODS[node.method].to_dict(node.params)}
    if node.evidence:
        out["evidence"] = [{"name": e.name, "min": e.min} for e in node.evidence]
    tail = {
        "criteria": node.criteria,
        "na_policy": node.na_policy,
        "na_score": _opt(node.na_score),
    }
    out.update({k: v for k, v in tail.items() if v is not None})
    return out
