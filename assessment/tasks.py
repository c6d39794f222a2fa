"""Background jobs: a few lines each, loading by id and calling one service."""

from __future__ import annotations

from celery import shared_task

from assessment import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def computation_run_task(computation_uuid: str) -> None:
    services.computation_run(computation_uuid=computation_uuid)
