"""The health check."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessment.celery import app as celery_app

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
        # The first answer is enough to call the workers up; waiting for all
        # of them would make every probe last the whole timeout.
        replies = celery_app.control.ping(
            timeout=settings.HEALTHZ_WORKER_TIMEOUT, limit=1
        )
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
