"""Writes to plans: import, publish, new version."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from indicators import storage
from indicators.errors import DomainError, InvalidInput, Problem
from indicators.models import Indicator, Plan, PlanStatus
from indicators.plan_format import parse_plan, plan_to_dict

MSG_NOT_JSON = "文件不是有效的 JSON:第 {line} 行第 {column} 列附近 {reason}"
MSG_NOT_UTF8 = "文件不是 UTF-8 编码的文本"
MSG_NOT_OBJECT = "JSON 文件的最外层应为对象({…})"
MSG_BAD_CONSTANT = "JSON 中不允许出现 {name}"
MSG_ALREADY_PUBLISHED = "方案“{name}”(第 {version} 版)已发布,不能再修改;请先创建新版本"
MSG_NOT_PUBLISHED = "只有已发布的方案才能创建新版本"
MSG_CONCURRENT_IMPORT = "方案“{code}”正在被另一次导入写入,请稍后重试"
MSG_DRAFT_EXISTS = "方案“{code}”已有草稿(第 {version} 版),请直接编辑该草稿"


def load_json_document(raw: bytes | str) -> dict[str, Any]:
    """Parse JSON exactly: numbers as Decimal, never float; NaN refused."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise InvalidInput([Problem("", "not_utf8", MSG_NOT_UTF8)]) from exc

    def refuse(name: str) -> Any:
        raise InvalidInput(
            [Problem("", "bad_constant", MSG_BAD_CONSTANT.format(name=name))]
        )

    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=refuse)
    except json.JSONDecodeError as exc:
        message = MSG_NOT_JSON.format(line=exc.lineno, column=exc.colno, reason=exc.msg)
        raise InvalidInput([Problem("", "not_json", message)]) from exc
    if not isinstance(data, dict):
        raise InvalidInput([Problem("", "not_object", MSG_NOT_OBJECT)])
    return data


def _next_version(county: Any, code: str) -> int:
    latest = Plan.objects.filter(county=county, code=code).aggregate(v=Max("version"))[
        "v"
    ]
    return (latest or 0) + 1


@transaction.atomic
def plan_import(*, county: Any, data: Mapping[str, Any], user: Any = None) -> Plan:
    """Validate a plan document and store it as the plan's draft.

    An existing draft of the same code is replaced; otherwise the draft is a
    new version after the published ones. Nothing is written if anything is
    wrong (InvalidInput lists every problem).
    """
    plan = parse_plan(data)
    # Lock the plan's versions so two imports cannot both take version N.
    versions = list(
        Plan.objects.select_for_update().filter(county=county, code=plan.code)
    )
    draft = next((p for p in versions if p.status == PlanStatus.DRAFT), None)
    if draft is not None:
        version, based_on = draft.version, draft.based_on
        draft.delete()
    else:
        version = max((p.version for p in versions), default=0) + 1
        based_on = max(versions, key=lambda p: p.version) if versions else None
    try:
        # A concurrent first import of the same code takes the same version.
        with transaction.atomic():
            return storage.plan_store(
                county=county, plan=plan, version=version, user=user, based_on=based_on
            )
    except IntegrityError as exc:
        raise DomainError(MSG_CONCURRENT_IMPORT.format(code=plan.code)) from exc


@transaction.atomic
def plan_publish(*, plan: Plan, user: Any = None) -> Plan:
    # Lock: a publish racing an edit must see the final tree.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise DomainError(
            MSG_ALREADY_PUBLISHED.format(name=plan.name, version=plan.version)
        )
    storage.plan_spec(plan)  # the stored tree must still be a valid plan
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.published_by = user
    plan.save(update_fields=["status", "published_at", "published_by"])
    return plan


@transaction.atomic
def plan_new_version(*, plan: Plan, user: Any = None) -> Plan:
    """A new draft copied from a published plan (published plans never change)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.PUBLISHED:
        raise DomainError(MSG_NOT_PUBLISHED)
    draft = Plan.objects.filter(
        county_id=plan.county_id, code=plan.code, status=PlanStatus.DRAFT
    ).first()
    if draft is not None:
        raise DomainError(
            MSG_DRAFT_EXISTS.format(code=plan.code, version=draft.version)
        )
    return storage.plan_store(
        county=plan.county,
        plan=storage.plan_spec(plan),
        version=_next_version(plan.county, plan.code),
        user=user,
        based_on=plan,
    )


# --- Editing a draft's tree ------------------------------------------------------

MSG_NOT_DRAFT = "方案“{name}”第 {version} 版已发布,不能修改;请先创建新版本"
MSG_CODE_TAKEN = "指标编码“{code}”已被使用"
MSG_CATEGORY_PARENT = "只能在类别下添加子项"
MSG_HAS_CHILDREN = "类别“{name}”下还有子项,不能改为具体指标"
# Plan-level consistency a draft may lack while it is being built; publishing
# still requires it (plan_publish validates the whole plan).
DRAFT_TOLERATED = {"points_mismatch", "scaled_without_basic", "empty"}


def _require_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise DomainError(MSG_NOT_DRAFT.format(name=plan.name, version=plan.version))


def node_problems(document: dict[str, Any], code: str) -> list[Problem]:
    """The problems parse_plan finds in one node (not in its children), apart
    from those a draft may have while it is being built."""
    found = storage.find_node(document["indicators"], code)
    if found is None:
        return []
    path = found[0]
    try:
        parse_plan(document)
    except InvalidInput as exc:
        return [
            p
            for p in exc.problems
            if (p.path == path or p.path.startswith((path + ".", path + "[")))
            and not p.path.startswith(path + ".children[")
            and p.code not in DRAFT_TOLERATED
        ]
    return []


@transaction.atomic
def indicator_save(
    *,
    plan: Plan,
    fields: dict[str, Any],
    node: Indicator | None = None,
    parent: Indicator | None = None,
) -> Indicator:
    """Create (under `parent`, or at the top) or update a node of a draft.

    `fields` is the node as in the plan document (code, name, role, points,
    method {type, …}, …; `children` never). Problems in the node itself are
    refused with their paths; plan-level sums may be off until publication.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)  # one editor at a time
    _require_draft(plan)
    if parent is not None and not parent.is_category:
        raise DomainError(MSG_CATEGORY_PARENT)
    code = fields["code"]
    clash = plan.indicators.filter(code=code)
    if node is not None:
        clash = clash.exclude(pk=node.pk)
    if clash.exists():
        raise DomainError(MSG_CODE_TAKEN.format(code=code), {"field": "code"})
    if node is not None and fields.get("role") and node.children.exists():
        raise DomainError(MSG_HAS_CHILDREN.format(name=node.name), {"field": "role"})
    document = storage.plan_document(plan)
    candidate = {k: v for k, v in fields.items() if v not in (None, "", [], {})}
    if node is not None:
        found = storage.find_node(document["indicators"], node.code)
        assert found is not None
        target = found[1]
        children = target.get("children")
        target.clear()
        target.update(candidate)
        if not fields.get("role"):
            target["children"] = children or []
    else:
        if not fields.get("role"):
            candidate["children"] = []
        holder = (
            storage.find_node(document["indicators"], parent.code) if parent else None
        )
        siblings = holder[1]["children"] if holder else document["indicators"]
        siblings.append(candidate)
    problems = node_problems(document, code)
    if problems:
        raise InvalidInput(problems)
    if fields.get("role"):
        fields = _canonical_leaf(document, candidate)
    return storage.indicator_store(plan=plan, node=node, parent=parent, fields=fields)


def _canonical_leaf(document: dict[str, Any], leaf: dict[str, Any]) -> dict[str, Any]:
    """The leaf as an import would store it (numbers as numbers, defaults
    spelled out), read through a plan holding just that leaf."""
    try:
        single = parse_plan({**document, "indicators": [leaf]})
    except InvalidInput:
        return leaf  # plan-level settings are broken; the leaf itself is fine
    canonical: dict[str, Any] = plan_to_dict(single)["indicators"][0]
    return canonical


@transaction.atomic
def indicator_move(*, node: Indicator, direction: str) -> None:
    """Swap a node with its previous or next sibling."""
    _require_draft(node.plan)
    siblings = list(
        Indicator.objects.select_for_update()
        .filter(plan=node.plan, parent=node.parent)
        .order_by("position")
    )
    i = next(k for k, s in enumerate(siblings) if s.pk == node.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(siblings):
        a, b = siblings[i], siblings[j]
        a.position, b.position = b.position, a.position
        Indicator.objects.bulk_update([a, b], ["position"])


@transaction.atomic
def indicator_delete(*, node: Indicator) -> None:
    _require_draft(node.plan)
    node.delete()  # children go with it (CASCADE)
