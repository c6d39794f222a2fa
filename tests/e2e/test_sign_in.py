"""Each demo role signs in through a real browser and sees its own navigation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD, TownshipFactory, member
from townships.models import Role

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EXPECTED_NAV = {
    Role.ADMIN: [
        "首页",
        "考核方案",
        "考核结果",
        "乡镇(街道)",
        "类别",
        "考核部门",
        "账号管理",
    ],
    Role.DEPARTMENT: ["首页", "考核方案", "考核结果", "乡镇(街道)"],
    Role.TOWNSHIP: ["首页", "考核结果", "乡镇(街道)"],
    Role.LEADER: ["首页", "考核方案", "考核结果", "乡镇(街道)", "类别", "考核部门"],
}


@pytest.mark.parametrize("role", list(Role))
def test_role_signs_in_and_sees_its_navigation(
    live_server: Any, page: Any, role: Role
) -> None:
    township = TownshipFactory(name="<img src=x onerror=alert(1)>镇")
    user = member(
        role,
        county=township.county,
        **({"township": township} if role == Role.TOWNSHIP else {}),
    )
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/")
    nav = page.locator("nav.sidenav a").all_inner_texts()
    assert nav == EXPECTED_NAV[role]
    page.goto(f"{live_server.url}/org/townships/")
    # The hostile name is shown as text, never run.
    assert (
        page.locator("table").get_by_text("<img src=x onerror=alert(1)>镇").count() == 1
    )
    assert page.csp_violations == []


def test_wrong_password_shows_message_in_browser(live_server: Any, page: Any) -> None:
    user = member(Role.LEADER)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit].primary")
    assert "用户名或密码不正确" in page.locator(".alert.error").inner_text()
    assert page.csp_violations == []
