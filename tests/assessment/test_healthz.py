"""/healthz reports database, broker and worker; 503 when any is down."""

from __future__ import annotations

from pathlib import Path

import pytest
from celery import Celery
from django.test import Client

import assessment.views.health

pytestmark = [pytest.mark.slow, pytest.mark.worker]


def test_all_up_with_a_real_worker(client: Client, worker: str) -> None:
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["worker"]["workers"] >= 1


def _idle_app(tmp_path: Path, settings, monkeypatch) -> Celery:  # type: ignore[no-untyped-def]
    """A real Celery app on a broker where no worker listens."""
    # Celery lets CELERY_BROKER_URL in the environment win over its config.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    app = Celery("idle", set_as_current=False)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        folder = tmp_path / "broker"
        folder.mkdir()
        app.conf.broker_url = "filesystem://"
        app.conf.broker_transport_options = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder),
        }
    else:
        app.conf.broker_url = "redis://127.0.0.1:6379/13"
    return app


@pytest.mark.django_db
def test_worker_down_is_503(
    client: Client, tmp_path: Path, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    settings.HEALTHZ_WORKER_TIMEOUT = 0.5
    monkeypatch.setattr(
        assessment.views.health,
        "celery_app",
        _idle_app(tmp_path, settings, monkeypatch),
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["worker"] == {"ok": False, "workers": 0, "names": []}
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_broker_down_is_503(client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    app = Celery("unreachable", broker="redis://127.0.0.1:1/0", set_as_current=False)
    app.conf.broker_connection_timeout = 0.5
    monkeypatch.setattr(assessment.views.health, "celery_app", app)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    assert response.json()["checks"]["worker"]["ok"] is False


def test_healthz_takes_get_only(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
