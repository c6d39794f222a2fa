"""Production settings: strict, secure, and loud when something is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 64 + "-production-like-secret-key-for-the-check",
    "ALLOWED_HOSTS": "kaohe.example.gov.cn",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_deploy_check_is_clean_with_production_settings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_missing_production_secret_stops_start_up_clearly(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is false" in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]


@pytest.mark.slow
def test_malformed_value_names_the_variable() -> None:
    result = _manage("check", env={"DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_embedded_default_keeps_files_private(settings) -> None:  # type: ignore[no-untyped-def]
    from django.urls import Resolver404, resolve

    assert settings.STORAGES["default"]["OPTIONS"].get("base_url") is None
    # No URL serves the media folder directly; files go through scoped views.
    with pytest.raises(Resolver404):
        resolve("/media/anything.pdf")
