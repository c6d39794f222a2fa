"""Signing in, brute-force lock-out keyed on (username, IP), CSP on every page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, member
from townships.models import Role

pytestmark = pytest.mark.django_db
OFFICE_IP = "10.8.1.20"


def _attempt(client: Client, username: str, password: str, ip: str = OFFICE_IP):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_page_is_chinese(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page and "用户名" in page and "密码" in page


def test_login_and_logout(client: Client) -> None:
    user = member(Role.LEADER)
    response = _attempt(client, user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_gets_chinese_message(client: Client) -> None:
    user = member(Role.LEADER)
    page = _attempt(client, user.username, "wrong").content.decode()
    assert "用户名或密码不正确" in page


def test_ten_failures_lock_that_user_from_that_ip_only() -> None:
    x, y = member(Role.TOWNSHIP), member(Role.TOWNSHIP)
    for _ in range(10):
        _attempt(Client(), x.username, "typo")
    locked = _attempt(Client(), x.username, PASSWORD)
    assert locked.status_code == 429
    assert "已被暂时锁定" in locked.content.decode()
    # A colleague in the same office (same IP) still signs in.
    assert _attempt(Client(), y.username, PASSWORD).status_code == 302
    # X from another IP (e.g. from home) is not locked either.
    assert _attempt(Client(), x.username, PASSWORD, ip="10.9.9.9").status_code == 302


def test_lock_lifts_after_the_cool_off(settings) -> None:  # type: ignore[no-untyped-def]
    x = member(Role.TOWNSHIP)
    with time_machine.travel("2026-04-01 09:00 +0800", tick=False):
        for _ in range(10):
            _attempt(Client(), x.username, "typo")
        assert _attempt(Client(), x.username, PASSWORD).status_code == 429
    later = 1 + settings.AXES_COOLOFF_TIME.total_seconds() / 60
    with time_machine.travel(f"2026-04-01 09:{int(later):02d} +0800", tick=False):
        assert _attempt(Client(), x.username, PASSWORD).status_code == 302


@pytest.mark.parametrize("role", list(Role))
def test_every_page_sends_a_strict_csp(
    login: Callable[..., Client], role: Role
) -> None:
    response = login(role).get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "default-src 'self'" in csp


def test_login_page_has_csp_and_no_inline_script(client: Client) -> None:
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()


def test_names_are_escaped(login: Callable[..., Client]) -> None:
    client = login(Role.ADMIN)
    county = client.user.membership.county  # type: ignore[attr-defined]
    from tests.factories import TownshipFactory

    TownshipFactory(county=county, name="<img src=x onerror=alert(1)>")
    page = client.get(reverse("townships:township-list")).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_english_is_available_through_the_switcher(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/accounts/login/"}
    )
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page
