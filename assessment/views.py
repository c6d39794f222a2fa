"""Project-level pages: the health check, results."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessment.celery import app as celery_app
from assessment.models import Computation, ResultSet
from assessment.services import current_result_set
from indicators.selectors import plan_current, plans_of
from townships.scoping import get_scope, scoped

log = logging.getLogger(__name__)


def _check_database() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _check_broker() -> dict[str, object]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:  # any kombu/redis error means "down"
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "transport": str(transport)}


def _check_worker() -> dict[str, object]:
    try:
        replies = celery_app.control.ping(timeout=settings.HEALTHZ_WORKER_TIMEOUT)
    except Exception as exc:  # broker errors surface here too
        return {"ok": False, "error": type(exc).__name__, "workers": 0}
    workers = sorted(name for reply in replies for name in reply)
    return {"ok": bool(workers), "workers": len(workers), "names": workers}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, broker and worker status: 200 when all are up, 503 otherwise."""
    started = time.monotonic()
    checks = {"database": _check_database(), "broker": _check_broker()}
    checks["worker"] = (
        _check_worker() if checks["broker"]["ok"] else {"ok": False, "workers": 0}
    )
    healthy = all(check["ok"] for check in checks.values())
    body = {
        "status": "ok" if healthy else "down",
        "checks": checks,
        "seconds": round(time.monotonic() - started, 3),
    }
    if not healthy:
        log.warning("healthz down: %s", checks)
    return JsonResponse(body, status=200 if healthy else 503)


# --- Results ------------------------------------------------------------------


@require_GET
@scoped()
def result_index(request: HttpRequest) -> HttpResponse:
    """Every period of the county's current plans, with its latest result set."""
    scope = get_scope(request)
    sets = {
        (s.plan_code, s.period_code): s
        for s in ResultSet.objects.filter(county=scope.county, is_current=True)
    }
    plans = []
    for code in plans_of(scope.county).values_list("code", flat=True).distinct():
        plan = plan_current(scope.county, code)
        if plan is not None:
            periods = [(p, sets.get((plan.code, p.code))) for p in plan.periods.all()]
            plans.append((plan, periods))
    return render(request, "assessment/result_index.html", {"plans": plans})


@require_GET
@scoped()
def result_detail(
    request: HttpRequest, plan_code: str, period_code: str
) -> HttpResponse:
    scope = get_scope(request)
    plan = plan_current(scope.county, plan_code)
    if plan is None:
        raise Http404
    period = get_object_or_404(plan.periods, code=period_code)
    result_set = current_result_set(
        county=scope.county, plan_code=plan_code, period_code=period_code
    )
    rows = []
    group = request.GET.get("group", "")
    if result_set is not None:
        qs = result_set.townships.select_related("township").order_by(
            "rank", "township__code"
        )
        # Until publication exists, a township sees only its own line.
        if scope.is_township:
            qs = qs.filter(township=scope.township)
        if group:
            qs = qs.filter(group_code=group).order_by("group_rank", "township__code")
        rows = list(qs)
    grade_names = {g["code"]: g["name"] for g in plan.grades}
    group_names = {g["code"]: g["name"] for g in plan.groups}
    computation = (
        Computation.objects.filter(
            county=scope.county, plan_code=plan_code, period_code=period_code
        )
        .order_by("-requested_at")
        .first()
    )
    context = {
        "plan": plan,
        "period": period,
        "result_set": result_set,
        "rows": rows,
        "group": group,
        "groups": plan.groups,
        "grade_names": grade_names,
        "group_names": group_names,
        "computation": computation,
    }
    return render(request, "assessment/result_detail.html", context)
