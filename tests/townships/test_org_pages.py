"""Admin pages that manage the county's townships, groups, departments and users."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import (
    CountyFactory,
    DepartmentFactory,
    GroupFactory,
    TownshipFactory,
    member,
)
from townships import services
from townships.models import Membership, Role, Township, TownshipGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(login: Callable[..., Client]) -> Client:
    return login(Role.ADMIN)


def _county(client: Client):  # type: ignore[no-untyped-def]
    return client.user.membership.county  # type: ignore[attr-defined]


def test_admin_creates_a_township_in_own_county(admin: Client) -> None:
    group = GroupFactory(county=_county(admin), code="jd")
    response = admin.post(
        reverse("townships:township-create"),
        {
            "code": "T09",
            "name": "㽏𬌗镇",
            "group": "jd",
            "order": "3",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    township = Township.objects.get(county=_county(admin), code="T09")
    assert (township.name, township.group, township.order) == ("㽏𬌗镇", group, 3)
    page = admin.get(response["Location"]).content.decode()
    assert "㽏𬌗镇" in page


def test_duplicate_township_code_is_refused_beside_the_field(admin: Client) -> None:
    TownshipFactory(county=_county(admin), code="T01")
    response = admin.post(
        reverse("townships:township-create"), {"code": "T01", "name": "重复"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        services.CODE_TAKEN.format(code="T01")
    ]
    assert Township.objects.filter(county=_county(admin), code="T01").count() == 1


def test_same_code_is_allowed_in_another_county(admin: Client) -> None:
    TownshipFactory(county=CountyFactory(), code="T01")
    response = admin.post(
        reverse("townships:township-create"), {"code": "T01", "name": "本县"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "", "name": "甲"}, "code", "必填项"),
        ({"code": "含 空格", "name": "甲"}, "code", "编码只能使用字母"),
        ({"code": "T1", "name": ""}, "name", "必填项"),
        ({"code": "T1", "name": "甲", "order": "-1"}, "order", "大于或等于0"),
        ({"code": "T1", "name": "甲", "group": "nope"}, "group", "选择一个有效的选项"),
        ({"code": "x" * 40, "name": "甲"}, "code", "32"),
    ],
)
def test_bad_township_input_gets_a_chinese_error_next_to_the_field(
    admin: Client, data: dict[str, str], field: str, message: str
) -> None:
    response = admin.post(reverse("townships:township-create"), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert not Township.objects.filter(county=_county(admin)).exists()


def test_group_of_another_county_cannot_be_chosen(admin: Client) -> None:
    GroupFactory(code="far")  # another county
    response = admin.post(
        reverse("townships:township-create"),
        {"code": "T1", "name": "甲", "group": "far"},
    )
    assert "group" in response.context["form"].errors


def test_group_with_townships_cannot_be_deleted(admin: Client) -> None:
    group = GroupFactory(county=_county(admin))
    TownshipFactory(county=group.county, group=group)
    response = admin.post(
        reverse("townships:group-delete", args=[group.code]), follow=True
    )
    assert TownshipGroup.objects.filter(pk=group.pk).exists()
    assert services.GROUP_IN_USE.format(name=group.name) in response.content.decode()


def test_empty_group_is_deleted(admin: Client) -> None:
    group = GroupFactory(county=_county(admin))
    admin.post(reverse("townships:group-delete", args=[group.code]))
    assert not TownshipGroup.objects.filter(pk=group.pk).exists()


def test_department_edit_keeps_code_unique(admin: Client) -> None:
    DepartmentFactory(county=_county(admin), code="swj")
    other = DepartmentFactory(county=_county(admin), code="yjj")
    response = admin.post(
        reverse("townships:department-edit", args=[other.code]),
        {"code": "swj", "name": "改"},
    )
    assert response.context["form"].errors["code"] == [
        services.CODE_TAKEN.format(code="swj")
    ]


def test_admin_creates_a_township_user_bound_to_a_township(admin: Client) -> None:
    township = TownshipFactory(county=_county(admin), code="T05")
    response = admin.post(
        reverse("townships:user-create"),
        {
            "username": "qsx",
            "full_name": "青山乡填报员",
            "role": "township",
            "township": "T05",
            "password1": "a-long-enough-pass-1",
            "password2": "a-long-enough-pass-1",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="qsx")
    assert (membership.role, membership.township) == (Role.TOWNSHIP, township)
    assert membership.user.check_password("a-long-enough-pass-1")
    assert not membership.user.password.startswith("a-long")


def test_township_user_needs_a_township(admin: Client) -> None:
    response = admin.post(
        reverse("townships:user-create"),
        {
            "username": "nobody",
            "full_name": "某人",
            "role": "township",
            "password1": "a-long-enough-pass-1",
            "password2": "a-long-enough-pass-1",
        },
    )
    assert response.context["form"].errors["township"] == [services.ROLE_NEEDS_TOWNSHIP]
    assert not get_user_model().objects.filter(username="nobody").exists()


def test_weak_or_mismatched_passwords_are_refused(admin: Client) -> None:
    base = {"username": "weak", "full_name": "某人", "role": "leader"}
    response = admin.post(
        reverse("townships:user-create"),
        {**base, "password1": "123", "password2": "123"},
    )
    assert "密码" in str(response.context["form"].errors)
    response = admin.post(
        reverse("townships:user-create"),
        {
            **base,
            "password1": "a-long-enough-pass-1",
            "password2": "a-long-enough-pass-2",
        },
    )
    assert response.context["form"].errors["password2"]
    assert not get_user_model().objects.filter(username="weak").exists()


def test_admin_cannot_demote_self(admin: Client) -> None:
    me = admin.user  # type: ignore[attr-defined]
    response = admin.post(
        reverse("townships:user-edit", args=[me.username]),
        {"full_name": "我", "role": "leader", "is_active": "on"},
    )
    assert services.CANNOT_DEMOTE_SELF in response.content.decode()
    me.membership.refresh_from_db()
    assert me.membership.role == Role.ADMIN


def test_admin_resets_a_password_and_deactivates_a_user(admin: Client) -> None:
    user = member(Role.LEADER, county=_county(admin))
    admin.post(
        reverse("townships:user-password", args=[user.username]),
        {"password1": "brand-new-pass-77", "password2": "brand-new-pass-77"},
    )
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-77")
    admin.post(
        reverse("townships:user-edit", args=[user.username]),
        {"full_name": "前领导", "role": "leader"},
    )
    user.refresh_from_db()
    assert not user.is_active


def test_lists_paginate(admin: Client) -> None:
    for i in range(55):
        TownshipFactory(county=_county(admin), code=f"P{i:03d}")
    first = admin.get(reverse("townships:township-list")).content.decode()
    second = admin.get(reverse("townships:township-list") + "?page=2").content.decode()
    assert "P000" in first and "P054" not in first
    assert "P054" in second
    assert "第 2 / 2 页" in second
    # A nonsense page number shows the last page rather than an error.
    assert admin.get(reverse("townships:township-list") + "?page=zz").status_code == 200


def test_empty_states_are_explained(admin: Client) -> None:
    assert (
        "还没有乡镇" in admin.get(reverse("townships:township-list")).content.decode()
    )
    assert "还没有类别" in admin.get(reverse("townships:group-list")).content.decode()
    assert (
        "还没有考核部门"
        in admin.get(reverse("townships:department-list")).content.decode()
    )
