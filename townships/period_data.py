"""A period's data (assessment-data/1) in and out of the database.

Import validates the whole document against the plan first (every problem
listed, nothing written), then creates or updates by natural key: importing
the same file twice leaves the same state, and data entered on pages for
pairs the file does not mention is kept.

Reading builds the same document from the rows and runs it through the same
validation, so the engine only ever sees inputs that pass it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from indicators import spec
from indicators.data_format import parse_period_data
from indicators.errors import DomainError
from indicators.models import Plan
from indicators.numbers import terminating_decimal
from indicators.selectors import plan_current
from indicators.services import plan_import
from indicators.storage import plan_spec, to_jsonable
from townships.models import (
    Award,
    County,
    Department,
    Event,
    Exemption,
    Participation,
    Record,
    RecordStatus,
    Target,
    Township,
    TownshipGroup,
)

FORMAT = "assessment-data/1"
MSG_NO_PLAN = "本县没有编码为“{code}”的考核方案,请先导入方案"
MSG_NO_PLAN_CODE = "数据文件缺少方案编码 plan"
MSG_NO_TOWNSHIPS = "“{period}”还没有参加考核的乡镇(街道),请先导入该周期的考核数据"


@dataclass(frozen=True)
class ImportSummary:
    plan: str
    period: str
    townships: int
    records: int
    targets: int
    events: int
    awards: int
    exemptions: int

    def describe(self) -> str:
        return (
            f"方案 {self.plan} 周期 {self.period}:乡镇 {self.townships} 个,"
            f"填报数据 {self.records} 条,目标 {self.targets} 条,事件 {self.events} 条,"
            f"表彰 {self.awards} 条,免考 {self.exemptions} 条"
        )


def county_sync_plan(*, county: County, plan: spec.Plan) -> None:
    """Create or rename the county's groups and departments the plan names."""
    for order, group in enumerate(plan.groups):
        TownshipGroup.objects.update_or_create(
            county=county,
            code=group.code,
            defaults={"name": group.name, "order": order},
        )
    for department in plan.departments:
        Department.objects.update_or_create(
            county=county, code=department.code, defaults={"name": department.name}
        )


@transaction.atomic
def county_plan_import(
    *, county: County, data: Mapping[str, Any], user: Any = None
) -> Plan:
    """Import a plan document as the county's draft and create the groups and
    departments it names (every importer goes through here)."""
    plan = plan_import(county=county, data=data, user=user)
    county_sync_plan(county=county, plan=plan_spec(plan))
    return plan


def _decimal(value: spec.Exact | None) -> Decimal | None:
    """An input value for a decimal column. Inputs are written as decimals, so
    their fractions always terminate (parse_number reads them that way)."""
    if value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    exact = terminating_decimal(value)
    assert exact is not None
    return exact


@transaction.atomic
def period_data_import(*, county: County, data: Mapping[str, Any]) -> ImportSummary:
    plan_code = data.get("plan") if isinstance(data, Mapping) else None
    if not isinstance(plan_code, str) or not plan_code:
        raise DomainError(MSG_NO_PLAN_CODE)
    plan_row = plan_current(county, plan_code)
    if plan_row is None:
        raise DomainError(MSG_NO_PLAN.format(code=plan_code))
    plan = plan_spec(plan_row)
    inputs = parse_period_data(data, plan)
    county_sync_plan(county=county, plan=plan)
    townships = _store_townships(county, inputs)
    key: dict[str, Any] = {
        "county": county,
        "plan_code": plan.code,
        "period_code": inputs.period,
    }
    period_key = ["county", "plan_code", "period_code"]
    # One upsert per kind (INSERT … ON CONFLICT DO UPDATE): a county's period
    # is tens of thousands of rows, and re-importing must update in place.
    _upsert(
        Participation,
        [
            Participation(**key, township=townships[t.code], group_code=t.group)
            for t in inputs.townships
        ],
        [*period_key, "township"],
        ["group_code"],
    )
    _upsert(
        Target,
        [
            Target(
                **key,
                township=townships[t.township],
                indicator=t.indicator,
                target=_decimal(t.target) or Decimal(0),
            )
            for t in inputs.targets
        ],
        [*period_key, "township", "indicator"],
        ["target"],
    )
    _upsert(
        Record,
        [
            Record(
                **key,
                township=townships[r.township],
                indicator=r.indicator,
                value=_decimal(r.value),
                grade=r.grade or "",
                items=list(r.items) if r.items is not None else None,
                score=_decimal(r.score),
                status=RecordStatus.APPROVED,
            )
            for r in inputs.records
        ],
        [*period_key, "township", "indicator"],
        ["value", "grade", "items", "score", "status", "updated_at"],
    )
    _upsert(
        Event,
        [
            Event(
                county=county,
                plan_code=plan.code,
                code=e.id,
                township=townships[e.township],
                indicator=e.indicator,
                type=e.type or "",
                date=e.date,
            )
            for e in inputs.events
        ],
        ["county", "plan_code", "code"],
        ["township", "indicator", "type", "date"],
    )
    _upsert(
        Award,
        [
            Award(
                **key,
                code=a.id,
                township=townships[a.township],
                indicator=a.indicator,
                level=a.level,
                subject=a.subject or "",
            )
            for a in inputs.awards
        ],
        [*period_key, "code"],
        ["township", "indicator", "level", "subject"],
    )
    _upsert(
        Exemption,
        [
            Exemption(
                **key,
                township=townships[x.township],
                indicator=x.indicator,
                reason=x.reason,
            )
            for x in inputs.exemptions
        ],
        [*period_key, "township", "indicator"],
        ["reason"],
    )
    return ImportSummary(
        plan=plan.code,
        period=inputs.period,
        townships=len(inputs.townships),
        records=len(inputs.records),
        targets=len(inputs.targets),
        events=len(inputs.events),
        awards=len(inputs.awards),
        exemptions=len(inputs.exemptions),
    )


def _upsert(
    model: type[models.Model], rows: list[Any], unique: list[str], update: list[str]
) -> None:
    if rows:
        model.objects.bulk_create(  # type: ignore[attr-defined]
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=unique,
            update_fields=update,
        )


def _store_townships(county: County, inputs: spec.PeriodInputs) -> dict[str, Township]:
    groups = {g.code: g for g in TownshipGroup.objects.filter(county=county)}
    _upsert(
        Township,
        [
            Township(
                county=county,
                code=t.code,
                name=t.name,
                group=groups[t.group],
                order=order,
            )
            for order, t in enumerate(inputs.townships)
        ],
        ["county", "code"],
        ["name", "group", "order"],
    )
    codes = [t.code for t in inputs.townships]
    return {t.code: t for t in Township.objects.filter(county=county, code__in=codes)}


# --- reading --------------------------------------------------------------------


def period_data_document(
    *,
    county: County,
    plan: spec.Plan,
    period: spec.Period,
    indicator: str | None = None,
) -> dict[str, Any]:
    """The period's stored, approved data as an assessment-data/1 document
    (only one item's rows with `indicator`, for the editor's preview)."""
    key: dict[str, Any] = {
        "county": county,
        "plan_code": plan.code,
        "period_code": period.code,
    }
    item: dict[str, Any] = {"indicator": indicator} if indicator else {}
    participations = Participation.objects.filter(**key).select_related("township")
    townships = [
        {"code": p.township.code, "name": p.township.name, "group": p.group_code}
        for p in participations.order_by("township__order", "township__code")
    ]
    events = Event.objects.filter(county=county, plan_code=plan.code, **item)
    if period.end is not None:
        # Later events belong to later periods; earlier ones are history.
        events = events.filter(date__lte=period.end)
    return {
        "format": FORMAT,
        "plan": plan.code,
        "period": period.code,
        "townships": townships,
        "targets": [
            {
                "township": t.township.code,
                "indicator": t.indicator,
                "target": _num(t.target),
            }
            for t in Target.objects.filter(**key, **item)
            .select_related("township")
            .order_by("pk")
        ],
        "records": [
            _record_document(r)
            for r in Record.objects.filter(**key, **item, status=RecordStatus.APPROVED)
            .select_related("township")
            .order_by("pk")
        ],
        "events": [
            {
                "id": e.code,
                "township": e.township.code,
                "indicator": e.indicator,
                **({"type": e.type} if e.type else {}),
                "date": e.date.isoformat(),
            }
            for e in events.select_related("township").order_by("date", "code")
        ],
        "awards": [
            {
                "id": a.code,
                "township": a.township.code,
                "indicator": a.indicator,
                "level": a.level,
                **({"subject": a.subject} if a.subject else {}),
            }
            for a in Award.objects.filter(**key, **item)
            .select_related("township")
            .order_by("pk")
        ],
        "exemptions": [
            {"township": x.township.code, "indicator": x.indicator, "reason": x.reason}
            for x in Exemption.objects.filter(**key, **item)
            .select_related("township")
            .order_by("pk")
        ],
    }


def _num(value: Decimal | None) -> Any:
    return None if value is None else to_jsonable(value.normalize())


def _record_document(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {
        "township": record.township.code,
        "indicator": record.indicator,
    }
    if record.value is not None:
        out["value"] = _num(record.value)
    if record.grade:
        out["grade"] = record.grade
    if record.items is not None:
        out["items"] = record.items
    if record.score is not None:
        out["score"] = _num(record.score)
    return out


def period_inputs(
    *, county: County, plan: spec.Plan, period: spec.Period
) -> spec.PeriodInputs:
    """The engine's inputs for a plain period, validated like an import."""
    document = period_data_document(county=county, plan=plan, period=period)
    if not document["townships"]:
        raise DomainError(MSG_NO_TOWNSHIPS.format(period=period.name))
    return parse_period_data(document, plan, period=period.code)
