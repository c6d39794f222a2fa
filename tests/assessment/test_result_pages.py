"""The results pages: ranking of the worked example, scoped by role."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import CountyFactory
from townships.models import County, Role, Township

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "assessment" / "demo_data"


@pytest.fixture
def county() -> County:
    for args in (
        ("import_plan", str(DEMO / "plan-2026.json"), "--county", "demo", "--publish"),
        ("import_data", str(DEMO / "data-2026Q1.json"), "--county", "demo"),
        ("compute", "2026-xz", "2026Q1", "--sync", "--county", "demo"),
    ):
        call_command(*args, stdout=StringIO())
    return County.objects.get(code="demo")


def _url() -> str:
    return reverse("result-detail", args=["2026-xz", "2026Q1"])


def test_leader_sees_the_worked_example_ranking(
    login: Callable[..., Client], county: County
) -> None:
    page = login(Role.LEADER, county=county).get(_url()).content.decode()
    order = [
        page.index(name)
        for name in (
            "城关街道",
            "石桥镇",
            "临河镇",
            "东城街道",
            "白沙乡",
            "青山乡",
            "柳溪乡",
        )
    ]
    assert order == sorted(order)
    assert "103.89" in page and "90.47" in page and "否决" in page


def test_group_filter_ranks_within_the_group(
    login: Callable[..., Client], county: County
) -> None:
    page = login(Role.ADMIN, county=county).get(_url() + "?group=nyz").content.decode()
    assert "城关街道" not in page
    assert page.index("白沙乡") < page.index("青山乡") < page.index("柳溪乡")
    assert "类别内排名" in page


def test_township_sees_only_its_own_line(
    login: Callable[..., Client], county: County
) -> None:
    own = Township.objects.get(county=county, code="T03")
    page = login(Role.TOWNSHIP, township=own).get(_url()).content.decode()
    assert "石桥镇" in page and "90.80" in page
    assert "城关街道" not in page and "103.89" not in page


def test_other_county_and_unknown_codes_are_404(
    login: Callable[..., Client], county: County
) -> None:
    other = login(Role.ADMIN, county=CountyFactory())
    assert other.get(_url()).status_code == 404
    mine = login(Role.ADMIN, county=county)
    assert (
        mine.get(reverse("result-detail", args=["2026-xz", "nope"])).status_code == 404
    )
    assert (
        mine.get(reverse("result-detail", args=["nope", "2026Q1"])).status_code == 404
    )


def test_index_lists_periods_and_says_which_are_computed(
    login: Callable[..., Client], county: County
) -> None:
    page = (
        login(Role.LEADER, county=county).get(reverse("result-index")).content.decode()
    )
    assert "2026年第一季度" in page and "查看排名" in page
    assert "尚未计算" in page  # Q2 has no results yet


def test_empty_states(login: Callable[..., Client]) -> None:
    client = login(Role.ADMIN)
    assert "还没有考核方案" in client.get(reverse("result-index")).content.decode()


def test_anonymous_and_wrong_method(client: Client, county: County) -> None:
    assert client.get(_url()).status_code == 302
    assert client.post(_url()).status_code == 405
