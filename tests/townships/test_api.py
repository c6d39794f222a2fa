"""The organisation API: scope, roles, error format, schema."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CountyFactory, TownshipFactory
from townships.models import Role

pytestmark = pytest.mark.django_db


def test_me_describes_the_current_membership(login: Callable[..., Client]) -> None:
    township = TownshipFactory(code="T07")
    data = login(Role.TOWNSHIP, township=township).get(reverse("api:me")).json()
    assert data["role"] == "township"
    assert data["township"] == "T07"
    assert data["county"] == township.county.code


def test_anonymous_api_calls_get_403_with_chinese_message(client: Client) -> None:
    response = client.get(reverse("api:township-list"))
    assert response.status_code == 403
    assert response.json() == {"message": "请先登录", "extra": {}}


def test_township_list_never_includes_other_townships(
    login: Callable[..., Client],
) -> None:
    own = TownshipFactory(code="T01")
    TownshipFactory(county=own.county, code="T02")
    TownshipFactory(code="X01")
    data = login(Role.TOWNSHIP, township=own).get(reverse("api:township-list")).json()
    assert [row["code"] for row in data["results"]] == ["T01"]


def test_leader_lists_own_county_only(login: Callable[..., Client]) -> None:
    county = CountyFactory()
    TownshipFactory(county=county, code="T01")
    TownshipFactory(county=county, code="T02")
    TownshipFactory(code="X01")
    data = login(Role.LEADER, county=county).get(reverse("api:township-list")).json()
    assert data["count"] == 2
    assert sorted(row["code"] for row in data["results"]) == ["T01", "T02"]


def test_other_township_and_other_county_are_404(login: Callable[..., Client]) -> None:
    own = TownshipFactory()
    neighbour = TownshipFactory(county=own.county)
    far = TownshipFactory()
    client = login(Role.TOWNSHIP, township=own)
    for t in (neighbour, far):
        response = client.get(reverse("api:township-detail", args=[t.code]))
        assert response.status_code == 404
        assert response.json()["message"] == "未找到该对象,或您无权访问"
    assert (
        client.get(reverse("api:township-detail", args=[own.code])).status_code == 200
    )


def test_wrong_method_is_405(login: Callable[..., Client]) -> None:
    client = login(Role.ADMIN)
    response = client.delete(reverse("api:township-list"))
    assert response.status_code == 405
    assert response.json()["message"] == "不支持该请求方法:DELETE"


def test_unknown_code_is_404(login: Callable[..., Client]) -> None:
    response = login(Role.ADMIN).get(reverse("api:township-detail", args=["nope"]))
    assert response.status_code == 404


def test_schema_and_docs_are_served_to_signed_in_users(
    login: Callable[..., Client],
) -> None:
    client = login(Role.LEADER)
    schema = client.get(reverse("schema"))
    assert schema.status_code == 200
    assert b"/api/v1/townships/" in schema.content
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert b"<script>" not in docs.content  # CSP: no inline script on the docs page
