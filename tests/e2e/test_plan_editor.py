"""The plan editor in a real browser: inline validation and the live preview
work through htmx with no CSP violation."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from indicators.models import Indicator, Plan
from indicators.services import plan_new_version
from tests.factories import PASSWORD, member
from townships.models import County, Role

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
DEMO = Path(__file__).resolve().parents[2] / "assessment" / "demo_data"


@pytest.fixture
def signed_in(live_server: Any, page: Any) -> Any:
    call_command(
        "import_plan",
        str(DEMO / "plan-2026.json"),
        "--county",
        "demo",
        "--publish",
        stdout=StringIO(),
    )
    call_command("import_data", str(DEMO / "data-2026Q1.json"), stdout=StringIO())
    plan_new_version(plan=Plan.objects.get(version=1))
    user = member(Role.ADMIN, county=County.objects.get(code="demo"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_inline_validation_and_preview(live_server: Any, signed_in: Any) -> None:
    page = signed_in
    page.goto(f"{live_server.url}/plans/2026-xz/v2/nodes/A1/edit/")
    # Preview: 3600 against a target of 3000 → 12 + 2 excess steps = 14.00
    page.fill("#entry", "3600")
    page.wait_for_selector("#preview .big-score")
    assert page.locator("#preview .big-score").inner_text().startswith("14.00")
    # A bad parameter is flagged beside its field as soon as it changes.
    page.fill("input[name=p_excess__step]", "九十五")
    page.locator("input[name=p_excess__step]").dispatch_event("change")
    error = page.locator(".field.has-error small.error").first
    error.wait_for()
    assert "数字" in error.inner_text()
    assert (
        Indicator.objects.get(plan__version=2, code="A1").params["excess"]["step"]
        != "九十五"
    )
    # Switching the method swaps in its parameters.
    page.select_option("select[name=method_type]", "tiers")
    page.wait_for_selector("textarea[name=p_tiers]")
    assert page.locator("input[name=p_excess__step]").count() == 0
    assert page.csp_violations == []


def test_tree_page_has_no_csp_violations(live_server: Any, signed_in: Any) -> None:
    page = signed_in
    page.goto(f"{live_server.url}/plans/2026-xz/v2/")
    assert page.locator("table.tree tr.category").count() == 8
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.locator("#node-Z1 form.confirm button").click()  # dismissed: nothing deleted
    assert Indicator.objects.filter(plan__version=2, code="Z1").exists()
    assert page.csp_violations == []
