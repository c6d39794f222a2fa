"""Plan rows ⇄ the plan document (assessment-plan/1) ⇄ the engine's `spec.Plan`.

The rows are the truth. Reading goes rows → document → `parse_plan`, so every
plan the engine sees has passed the same validation as an imported one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from indicators import models, spec
from indicators.errors import ProblemList
from indicators.jsonvalues import to_jsonable
from indicators.numbers import parse_weight
from indicators.plan_format import parse_plan, plan_to_dict

FORMAT = "assessment-plan/1"
MSG_PRECISION = "小数位数 precision 最多为 {most},实际为 {value}"
MSG_TOO_FINE = "{path} 的数值 {value} 超出可保存的精度(最多 8 位小数、16 位整数)"


# --- JSON-safe values for JSONFields ---------------------------------------------


def _column(value: Any) -> Decimal | None:
    """A document number for a decimal column (None stays None)."""
    if value is None:
        return None
    return Decimal(value) if not isinstance(value, Decimal) else value


def from_column(value: Decimal | None) -> int | Decimal | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    text = format(value.normalize(), "f")
    return Decimal(text)


# --- writing ----------------------------------------------------------------------


def check_storable(document: Mapping[str, Any]) -> None:
    """Refuse numbers the decimal columns cannot hold exactly (InvalidInput)."""
    problems = ProblemList()
    if document.get("precision", 0) > models.DECIMAL_PLACES:
        problems.add(
            "precision",
            "not_storable",
            MSG_PRECISION.format(
                value=document["precision"], most=models.DECIMAL_PLACES
            ),
        )
    for key in ("bonus_cap", "penalty_cap"):
        _check_fits(document.get(key), key, problems)
    for path, node in _walk_document(document.get("indicators", []), "indicators"):
        for key in ("points", "target", "na_score"):
            _check_fits(node.get(key), f"{path}.{key}", problems)
    problems.raise_if_any()


def _check_fits(value: Any, path: str, problems: ProblemList) -> None:
    if value is None:
        return
    if isinstance(value, str) and "/" in value:
        problems.add(path, "not_storable", MSG_TOO_FINE.format(path=path, value=value))
        return
    if not models.decimal_fits(Decimal(value)):
        problems.add(path, "not_storable", MSG_TOO_FINE.format(path=path, value=value))


def _walk_document(
    nodes: Iterable[Mapping[str, Any]], path: str
) -> Iterable[tuple[str, Mapping[str, Any]]]:
    for i, node in enumerate(nodes):
        here = f"{path}[{i}]"
        yield here, node
        yield from _walk_document(node.get("children", []), f"{here}.children")


def find_node(
    nodes: list[dict[str, Any]], code: str, path: str = "indicators"
) -> tuple[str, dict[str, Any]] | None:
    """A node of a plan document by code, with its path (`indicators[0].children[2]`)."""
    for i, node in enumerate(nodes):
        here = f"{path}[{i}]"
        if node["code"] == code:
            return here, node
        found = find_node(node.get("children", []), code, f"{here}.children")
        if found:
            return found
    return None


def plan_store(
    *,
    county: Any,
    plan: spec.Plan,
    version: int,
    user: Any = None,
    based_on: models.Plan | None = None,
) -> models.Plan:
    """Write a validated plan as a new draft row with its periods and tree."""
    document = plan_to_dict(plan)
    check_storable(document)
    row = models.Plan.objects.create(
        county=county,
        code=plan.code,
        version=version,
        name=plan.name,
        year=plan.year,
        precision=plan.precision,
        rounding=plan.rounding,
        na_policy=plan.na_policy,
        bonus_cap=_column(document["bonus_cap"]),
        penalty_cap=_column(document["penalty_cap"]),
        tie_break=document["tie_break"],
        grades=to_jsonable(document["grades"]),
        grade_scope=plan.grade_scope,
        veto=to_jsonable(document["veto"]),
        groups=document["groups"],
        departments=document["departments"],
        based_on=based_on,
        created_by=user,
    )
    _store_periods(row, document["periods"])
    _store_tree(row, document["indicators"])
    return row


def _store_periods(plan: models.Plan, periods: list[dict[str, Any]]) -> None:
    rows = models.Period.objects.bulk_create(
        models.Period(
            plan=plan,
            code=p["code"],
            name=p["name"],
            start=p.get("start"),
            end=p.get("end"),
            position=i,
        )
        for i, p in enumerate(periods)
    )
    by_code = {row.code: row for row in rows}
    components = []
    for p in periods:
        for i, c in enumerate(p.get("composition", [])):
            weight = parse_weight(c["weight"])
            components.append(
                models.PeriodComponent(
                    period=by_code[p["code"]],
                    component=by_code[c["period"]],
                    weight_numerator=weight.numerator,
                    weight_denominator=weight.denominator,
                    position=i,
                )
            )
    models.PeriodComponent.objects.bulk_create(components)


def _store_tree(plan: models.Plan, nodes: list[dict[str, Any]]) -> None:
    """Insert level by level so every parent has its key before its children."""
    level: list[tuple[models.Indicator | None, dict[str, Any]]] = [
        (None, n) for n in nodes
    ]
    position = 0
    while level:
        rows = []
        for parent, node in level:
            rows.append(_indicator_row(plan, parent, node, position))
            position += 1
        created = models.Indicator.objects.bulk_create(rows)
        level = [
            (row, child)
            for row, (_, node) in zip(created, level, strict=True)
            for child in node.get("children", [])
        ]


def _indicator_row(
    plan: models.Plan,
    parent: models.Indicator | None,
    node: dict[str, Any],
    position: int,
) -> models.Indicator:
    method = dict(node.get("method") or {})
    method_type = method.pop("type", "")
    return models.Indicator(
        plan=plan,
        parent=parent,
        position=position,
        code=node["code"],
        name=node["name"],
        role=node.get("role"),
        points=_column(node.get("points")),
        scaled=bool(node.get("scaled", False)),
        method_type=method_type,
        params=to_jsonable(method),
        groups=node.get("groups"),
        target=_column(node.get("target")),
        unit=node.get("unit") or "",
        department=node.get("department") or "",
        evidence=node.get("evidence") or [],
        criteria=node.get("criteria") or "",
        na_policy=node.get("na_policy") or "",
        na_score=_column(node.get("na_score")),
    )


def indicator_store(
    *,
    plan: models.Plan,
    fields: dict[str, Any],
    node: models.Indicator | None = None,
    parent: models.Indicator | None = None,
) -> models.Indicator:
    """Write one node from its document form (already validated)."""
    if node is None:
        last = (
            plan.indicators.order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        position = (last or 0) + 1
    else:
        position = node.position
        parent = node.parent
    row = _indicator_row(plan, parent, fields, position)
    if node is not None:
        row.pk = node.pk
    row.save()
    return row


# --- reading ----------------------------------------------------------------------


def plan_document(plan: models.Plan) -> dict[str, Any]:
    """The stored plan as an assessment-plan/1 document (three queries)."""
    periods = list(plan.periods.all())
    components: dict[int, list[models.PeriodComponent]] = defaultdict(list)
    for c in models.PeriodComponent.objects.filter(period__plan=plan).select_related(
        "component"
    ):
        components[c.period_id].append(c)
    indicators = list(plan.indicators.all().order_by("position"))
    children: dict[int | None, list[models.Indicator]] = defaultdict(list)
    for node in indicators:
        children[node.parent_id].append(node)
    document: dict[str, Any] = {
        "format": FORMAT,
        "code": plan.code,
        "name": plan.name,
        "year": plan.year,
        "precision": plan.precision,
        "rounding": plan.rounding,
        "departments": plan.departments,
        "groups": plan.groups,
        "periods": [_period_document(p, components[p.pk]) for p in periods],
        "na_policy": plan.na_policy,
        "bonus_cap": from_column(plan.bonus_cap),
        "penalty_cap": from_column(plan.penalty_cap),
        "tie_break": plan.tie_break,
        "grades": plan.grades,
        "grade_scope": plan.grade_scope,
        "veto": plan.veto,
        "indicators": [_node_document(n, children) for n in children[None]],
    }
    return document


def _period_document(
    period: models.Period, components: list[models.PeriodComponent]
) -> dict[str, Any]:
    out: dict[str, Any] = {"code": period.code, "name": period.name}
    if period.start:
        out["start"] = period.start.isoformat()
    if period.end:
        out["end"] = period.end.isoformat()
    if components:
        out["composition"] = [
            {
                "period": c.component.code,
                "weight": c.weight_numerator
                if c.weight_denominator == 1
                else f"{c.weight_numerator}/{c.weight_denominator}",
            }
            for c in sorted(components, key=lambda c: c.position)
        ]
    return out


def _node_document(
    node: models.Indicator, children: Mapping[int | None, list[models.Indicator]]
) -> dict[str, Any]:
    out: dict[str, Any] = {"code": node.code, "name": node.name}
    if node.points is not None:
        out["points"] = from_column(node.points)
    if node.is_category:
        if node.scaled:
            out["scaled"] = True
        out["children"] = [_node_document(c, children) for c in children[node.pk]]
        return out
    out["role"] = node.role
    optional: dict[str, Any] = {
        "department": node.department or None,
        "groups": node.groups,
        "target": from_column(node.target),
        "unit": node.unit or None,
        "evidence": node.evidence or None,
        "criteria": node.criteria or None,
        "na_policy": node.na_policy or None,
        "na_score": from_column(node.na_score),
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    out["method"] = {"type": node.method_type, **node.params}
    return out


def plan_spec(plan: models.Plan) -> spec.Plan:
    """The stored plan, validated, for the engine (raises InvalidInput if broken)."""
    return parse_plan(plan_document(plan))
