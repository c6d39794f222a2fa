"""The standard edge set on every page: anonymous, wrong method, other county,
other township, wrong role, unknown code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    CountyFactory,
    DepartmentFactory,
    GroupFactory,
    TownshipFactory,
    member,
)
from townships.models import Role

pytestmark = pytest.mark.django_db

# (url name, kwargs builder from the "other" objects, method allowed, roles allowed)
LIST_PAGES = [
    ("home", (), None),
    ("result-index", (), None),
    ("plan-list", (), {Role.ADMIN, Role.LEADER, Role.DEPARTMENT}),
    ("townships:township-list", (), None),
    ("townships:group-list", (), {Role.ADMIN, Role.LEADER}),
    ("townships:department-list", (), {Role.ADMIN, Role.LEADER}),
    ("townships:user-list", (), {Role.ADMIN}),
    ("townships:township-create", (), {Role.ADMIN}),
    ("townships:group-create", (), {Role.ADMIN}),
    ("townships:department-create", (), {Role.ADMIN}),
    ("townships:user-create", (), {Role.ADMIN}),
    ("password-change", (), None),
]


def _objects(county: Any) -> dict[str, Any]:
    group = GroupFactory(county=county)
    township = TownshipFactory(county=county, group=group)
    department = DepartmentFactory(county=county)
    user = member(Role.LEADER, county=county)
    return {
        "group": group,
        "township": township,
        "department": department,
        "user": user,
    }


OBJECT_PAGES: list[
    tuple[str, Callable[[dict[str, Any]], dict[str, str]], str, set[Role] | None]
] = [
    ("townships:township-detail", lambda o: {"code": o["township"].code}, "GET", None),
    (
        "townships:township-edit",
        lambda o: {"code": o["township"].code},
        "GET",
        {Role.ADMIN},
    ),
    ("townships:group-edit", lambda o: {"code": o["group"].code}, "GET", {Role.ADMIN}),
    (
        "townships:group-delete",
        lambda o: {"code": o["group"].code},
        "POST",
        {Role.ADMIN},
    ),
    (
        "townships:department-edit",
        lambda o: {"code": o["department"].code},
        "GET",
        {Role.ADMIN},
    ),
    (
        "townships:department-delete",
        lambda o: {"code": o["department"].code},
        "POST",
        {Role.ADMIN},
    ),
    (
        "townships:user-edit",
        lambda o: {"username": o["user"].username},
        "GET",
        {Role.ADMIN},
    ),
    (
        "townships:user-password",
        lambda o: {"username": o["user"].username},
        "GET",
        {Role.ADMIN},
    ),
]


@pytest.mark.parametrize(("name", "args", "roles"), LIST_PAGES)
def test_anonymous_goes_to_login(
    client: Client, name: str, args: tuple, roles: Any
) -> None:
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "args", "roles"), LIST_PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_role_matrix_on_pages(
    login: Callable[..., Client], name: str, args: tuple, roles: Any, role: Role
) -> None:
    client = login(role)
    response = client.get(reverse(name, args=args))
    expected = 200 if roles is None or role in roles else 403
    assert response.status_code == expected


@pytest.mark.parametrize(("name", "kwargs", "method", "roles"), OBJECT_PAGES)
def test_other_county_objects_are_404(
    login: Callable[..., Client], name: str, kwargs: Any, method: str, roles: Any
) -> None:
    client = login(Role.ADMIN)
    other = _objects(CountyFactory())
    response = getattr(client, method.lower())(reverse(name, kwargs=kwargs(other)))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "kwargs", "method", "roles"), OBJECT_PAGES)
def test_unknown_code_is_404(
    login: Callable[..., Client], name: str, kwargs: Any, method: str, roles: Any
) -> None:
    client = login(Role.ADMIN)
    url = reverse(
        name, kwargs=dict.fromkeys(kwargs(_objects(CountyFactory())), "no-such-code")
    )
    assert getattr(client, method.lower())(url).status_code == 404


@pytest.mark.parametrize(("name", "kwargs", "method", "roles"), OBJECT_PAGES)
def test_anonymous_object_pages_go_to_login(
    client: Client, name: str, kwargs: Any, method: str, roles: Any
) -> None:
    url = reverse(name, kwargs=kwargs(_objects(CountyFactory())))
    response = getattr(client, method.lower())(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "kwargs", "method"),
    [
        ("townships:group-delete", lambda o: {"code": o["group"].code}, "get"),
        (
            "townships:department-delete",
            lambda o: {"code": o["department"].code},
            "get",
        ),
        ("townships:township-detail", lambda o: {"code": o["township"].code}, "post"),
        ("townships:township-list", lambda o: {}, "delete"),
        ("home", lambda o: {}, "put"),
        ("townships:user-edit", lambda o: {"username": o["user"].username}, "patch"),
    ],
)
def test_wrong_method_is_405(
    login: Callable[..., Client], name: str, kwargs: Any, method: str
) -> None:
    client = login(Role.ADMIN)
    objects = _objects(client.user.membership.county)  # type: ignore[attr-defined]
    response = getattr(client, method)(reverse(name, kwargs=kwargs(objects)))
    assert response.status_code == 405


def test_township_user_cannot_see_another_township(
    login: Callable[..., Client],
) -> None:
    own = TownshipFactory()
    neighbour = TownshipFactory(county=own.county)
    client = login(Role.TOWNSHIP, township=own)
    assert (
        client.get(reverse("townships:township-detail", args=[own.code])).status_code
        == 200
    )
    response = client.get(reverse("townships:township-detail", args=[neighbour.code]))
    assert response.status_code == 404


def test_township_list_shows_only_own_township_to_township_user(
    login: Callable[..., Client],
) -> None:
    own = TownshipFactory(name="本镇")
    TownshipFactory(county=own.county, name="邻镇")
    client = login(Role.TOWNSHIP, township=own)
    page = client.get(reverse("townships:township-list")).content.decode()
    assert "本镇" in page
    assert "邻镇" not in page


def test_department_user_sees_all_townships_of_own_county_only(
    login: Callable[..., Client],
) -> None:
    department = DepartmentFactory()
    TownshipFactory(county=department.county, name="本县镇")
    TownshipFactory(name="外县镇")
    client = login(Role.DEPARTMENT, department=department)
    page = client.get(reverse("townships:township-list")).content.decode()
    assert "本县镇" in page
    assert "外县镇" not in page


def test_user_without_role_gets_403_with_explanation(client: Client) -> None:
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "尚未分配考核角色" in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_navigation(
    login: Callable[..., Client], role: Role
) -> None:
    page = login(role).get(reverse("home")).content.decode()
    assert ("账号管理" in page) == (role == Role.ADMIN)
    assert ("考核部门</a>" in page) == (role in {Role.ADMIN, Role.LEADER})
    assert "乡镇(街道)</a>" in page
