"""Writes to plans: import, publish, new version."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from indicators import storage
from indicators.errors import DomainError, InvalidInput, Problem
from indicators.models import Plan, PlanStatus
from indicators.plan_format import parse_plan

MSG_NOT_JSON = "文件不是有效的 JSON:第 {line} 行第 {column} 列附近 {reason}"
MSG_NOT_UTF8 = "文件不是 UTF-8 编码的文本"
MSG_NOT_OBJECT = "JSON 文件的最外层应为对象({…})"
MSG_BAD_CONSTANT = "JSON 中不允许出现 {name}"
MSG_ALREADY_PUBLISHED = "方案“{name}”(第 {version} 版)已发布,不能再修改;请先创建新版本"
MSG_NOT_PUBLISHED = "只有已发布的方案才能创建新版本"
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
    return storage.plan_store(
        county=county, plan=plan, version=version, user=user, based_on=based_on
    )


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
