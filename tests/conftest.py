"""Shared fixtures: clients per role, and a real Celery worker process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.factories import member
from townships.models import Role

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _private_media(tmp_path: Path, settings: Any) -> None:
    """Uploads in tests go to a temporary private root."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Hashing costs about a second of CPU per password by design; not in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def login(client: Client) -> Callable[..., Client]:
    """`login(Role.TOWNSHIP, township=t)` logs the test client in as such a user."""

    def _login(role: Role, **kwargs: Any) -> Client:
        user = member(role, **kwargs)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        client.user = user  # type: ignore[attr-defined]
        return client

    return _login


def _worker_env(queue: str) -> dict[str, str]:
    env = {**os.environ, "CELERY_TASK_DEFAULT_QUEUE": queue, "PYTHONUNBUFFERED": "1"}
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        url = os.environ.get("DATABASE_URL", "")
        # Same server, the test database pytest-django created.
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + db["NAME"]
    return env


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: Any,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """A real `celery worker` subprocess on the test database, on a queue of its own.

    Tests that use it need committed data (`transactional_db`), since the
    worker is another process.
    """
    from assessment.celery import app

    queue = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    name = f"{queue}@localhost"
    app.conf.task_default_queue = queue
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with django_db_blocker.unblock():
        env = _worker_env(queue)
    cmd = [
        sys.executable, "-m", "celery", "-A", "assessment.celery", "worker",
        "-Q", queue, "-n", name, "--pool", "solo", "-l", "info",
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=1):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"celery worker did not start:\n{log.read_text()[-3000:]}"
                )
        yield name
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def worker(celery_worker_process: str, transactional_db: None) -> str:
    return celery_worker_process
