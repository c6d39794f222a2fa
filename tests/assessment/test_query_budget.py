"""Ranking pages and the plan tree issue the same number of queries whatever the
size of the county (QUALITY.md 20)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.services import computation_request, computation_run
from bench.generate import PERIOD, PLAN_CODE, generate
from indicators.selectors import plan_current
from indicators.services import plan_publish
from tests.factories import CountyFactory
from townships.models import County, Role
from townships.period_data import county_plan_import, period_data_import

pytestmark = pytest.mark.django_db


def _county_of(size: int) -> County:
    plan, [data] = generate(counties=1, townships_per_county=size, leaves=30, seed=size)
    county = CountyFactory(code=f"size{size}")
    plan_publish(plan=county_plan_import(county=county, data=plan))
    period_data_import(county=county, data=data)
    computation = computation_request(
        county=county, plan_code=PLAN_CODE, period_code=PERIOD, enqueue=False
    )
    computation_run(computation_uuid=str(computation.uuid))
    return county


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_cost_the_same_for_5_and_40_townships(
    login: Callable[..., Client],
) -> None:
    counts = []
    for size in (5, 40):
        county = _county_of(size)
        plan = plan_current(county, PLAN_CODE)
        assert plan is not None
        client = login(Role.LEADER, county=county)
        counts.append(
            (
                _queries(client, reverse("result-detail", args=[PLAN_CODE, PERIOD])),
                _queries(client, reverse("result-index")),
                _queries(
                    client, reverse("plan-detail", args=[PLAN_CODE, plan.version])
                ),
                _queries(client, reverse("api:result", args=[PLAN_CODE, PERIOD])),
            )
        )
    assert counts[0] == counts[1]
