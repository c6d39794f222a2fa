"""Computations: request one, run one, read its results back out."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessment.engine import PeriodResult, compose_period, compute_period
from assessment.models import Computation, ComputationStatus, ResultSet, TownshipResult
from assessment.result_format import FORMAT, result_to_dict
from indicators import spec
from indicators.errors import DomainError, InvalidInput
from indicators.models import Plan
from indicators.selectors import plan_current
from indicators.storage import plan_spec
from townships.models import County, Township
from townships.period_data import period_inputs

log = logging.getLogger(__name__)

MSG_NO_PLAN = "本县没有编码为“{code}”的考核方案"
MSG_NO_PERIOD = "方案“{plan}”没有编码为“{code}”的考核周期"
MSG_NO_RESULTS = "方案“{plan}”周期“{period}”还没有计算结果"
MSG_INPUTS_INVALID = "考核数据有 {n} 处问题,未能计算:"


def _plan_row(county: County, plan_code: str, period_code: str) -> Plan:
    """The plan version in use, checked to have the period (rows only)."""
    plan_row = plan_current(county, plan_code)
    if plan_row is None:
        raise DomainError(MSG_NO_PLAN.format(code=plan_code), {"field": "plan"})
    if not plan_row.periods.filter(code=period_code).exists():
        raise DomainError(
            MSG_NO_PERIOD.format(plan=plan_code, code=period_code), {"field": "period"}
        )
    return plan_row


def _plan_and_period(
    county: County, plan_code: str, period_code: str
) -> tuple[Plan, spec.Plan, spec.Period]:
    plan_row = _plan_row(county, plan_code, period_code)
    plan = plan_spec(plan_row)
    period = plan.period(period_code)
    assert period is not None  # the rows have it, and the spec is built from them
    return plan_row, plan, period


def period_result(
    *, county: County, plan: spec.Plan, period: spec.Period
) -> PeriodResult:
    """The period's results, composing component periods recursively."""
    if period.is_composite:
        components = []
        for component in period.composition:
            sub = plan.period(component.period)
            assert sub is not None  # parse_plan checked the composition
            components.append(
                (component.weight, period_result(county=county, plan=plan, period=sub))
            )
        return compose_period(plan, period.code, components)
    return compute_period(plan, period_inputs(county=county, plan=plan, period=period))


@transaction.atomic
def computation_request(
    *,
    county: County,
    plan_code: str,
    period_code: str,
    user: Any = None,
    enqueue: bool = True,
) -> Computation:
    """Ask for a (re)computation; requests while one is waiting coalesce.

    `enqueue=False` leaves running it to the caller (`compute --sync`).
    """
    from assessment.tasks import computation_run_task

    # Fail fast on unknown codes; the plan itself is built when the job runs.
    _plan_row(county, plan_code, period_code)
    computation, created = Computation.objects.get_or_create(
        county=county,
        plan_code=plan_code,
        period_code=period_code,
        status=ComputationStatus.PENDING,
        defaults={"requested_by": user},
    )
    if created and enqueue:
        transaction.on_commit(lambda: computation_run_task.delay(str(computation.uuid)))
    return computation


def computation_run(*, computation_uuid: str) -> Computation:
    """Run a computation. Safe to call again for the same row (redelivery):
    a finished one is left alone, an interrupted one runs again from scratch."""
    with transaction.atomic():
        # Lock: two deliveries of the same message must not both run it.
        computation = Computation.objects.select_for_update().get(uuid=computation_uuid)
        if computation.status in (ComputationStatus.DONE, ComputationStatus.FAILED):
            return computation
        computation.status = ComputationStatus.RUNNING
        computation.attempts += 1
        computation.started_at = timezone.now()
        computation.progress = 0
        computation.save(update_fields=["status", "attempts", "started_at", "progress"])
    try:
        result_set = _compute_and_store(computation)
    except (DomainError, InvalidInput) as exc:
        _finish(computation, ComputationStatus.FAILED, _describe_error(exc))
    except Exception:
        log.exception("computation %s crashed", computation.uuid)
        _finish(computation, ComputationStatus.FAILED, traceback.format_exc(limit=3))
        raise
    else:
        log.info("computation %s done: result set %s", computation.uuid, result_set.pk)
    computation.refresh_from_db()
    return computation


def _describe_error(exc: DomainError) -> str:
    if isinstance(exc, InvalidInput):
        lines = [MSG_INPUTS_INVALID.format(n=len(exc.problems))]
        lines += [f"{p.path}: {p.message}" for p in exc.problems[:200]]
        return "\n".join(lines)
    return exc.message


def _finish(computation: Computation, status: str, error: str = "") -> None:
    Computation.objects.filter(pk=computation.pk).update(
        status=status, error=error, finished_at=timezone.now(), progress=100
    )


def _compute_and_store(computation: Computation) -> ResultSet:
    county = computation.county
    plan_row, plan, period = _plan_and_period(
        county, computation.plan_code, computation.period_code
    )
    result = period_result(county=county, plan=plan, period=period)
    Computation.objects.filter(pk=computation.pk).update(progress=60)
    document = result_to_dict(plan, result, explanations=True)
    townships = {
        t.code: t
        for t in Township.objects.filter(
            county=county, code__in=[t["code"] for t in document["townships"]]
        )
    }
    with transaction.atomic():
        result_set = ResultSet.objects.create(
            county=county,
            plan_code=plan.code,
            period_code=period.code,
            plan=plan_row,
            computation=computation,
        )
        TownshipResult.objects.bulk_create(
            _township_row(result_set, townships[entry["code"]], entry)
            for entry in document["townships"]
        )
        # The swap: readers see the old set until this commits, then the new.
        ResultSet.objects.select_for_update().filter(
            county=county, plan_code=plan.code, period_code=period.code, is_current=True
        ).update(is_current=False)
        ResultSet.objects.filter(pk=result_set.pk).update(is_current=True)
        Computation.objects.filter(pk=computation.pk).update(
            status=ComputationStatus.DONE,
            finished_at=timezone.now(),
            progress=100,
            error="",
        )
    return result_set


def _township_row(
    result_set: ResultSet, township: Township, entry: dict[str, Any]
) -> TownshipResult:
    explanations = {
        code: item.pop("why")
        for code, item in entry["indicators"].items()
        if "why" in item
    }
    return TownshipResult(
        result_set=result_set,
        township=township,
        group_code=entry["group"],
        total=entry["total"],
        basic=entry["basic"],
        bonus=entry["bonus"],
        penalty=entry["penalty"],
        vetoed=entry["vetoed"],
        rank=entry["rank"],
        group_rank=entry["group_rank"],
        grade=entry["grade"] or "",
        data=entry,
        explanations=explanations,
    )


# --- reading ----------------------------------------------------------------------


def current_result_set(
    *, county: County, plan_code: str, period_code: str
) -> ResultSet | None:
    return ResultSet.objects.filter(
        county=county, plan_code=plan_code, period_code=period_code, is_current=True
    ).first()


def results_document(
    *, county: County, plan_code: str, period_code: str
) -> dict[str, Any]:
    """The current results as assessment-result/1 (townships by code)."""
    result_set = current_result_set(
        county=county, plan_code=plan_code, period_code=period_code
    )
    if result_set is None:
        raise DomainError(MSG_NO_RESULTS.format(plan=plan_code, period=period_code))
    rows = result_set.townships.order_by("township__code")
    return {
        "format": FORMAT,
        "plan": plan_code,
        "period": period_code,
        "townships": [row.data for row in rows],
    }
