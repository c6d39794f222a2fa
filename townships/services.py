"""Writes to the organisation: townships, groups, departments, accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from indicators.errors import DomainError
from townships.models import (
    County,
    Department,
    Membership,
    Role,
    Township,
    TownshipGroup,
)

CODE_TAKEN = "编码“{code}”已被使用"
USERNAME_TAKEN = "用户名“{username}”已被使用"
GROUP_IN_USE = "类别“{name}”下还有乡镇,不能删除;请先调整这些乡镇的类别"
DEPARTMENT_IN_USE = "部门“{name}”还有账号或指标在用,不能删除"
ROLE_NEEDS_DEPARTMENT = "考核部门账号必须选择所属部门"
ROLE_NEEDS_TOWNSHIP = "乡镇账号必须选择所属乡镇"
OTHER_COUNTY = "所选对象不属于本县"
CANNOT_DEMOTE_SELF = "不能修改或停用自己的考核办账号,请由其他考核办账号操作"


def _check_code_free(
    model: type, *, county: County, code: str, exclude_pk: int | None
) -> None:
    qs = model.objects.filter(county=county, code=code)  # type: ignore[attr-defined]
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise DomainError(CODE_TAKEN.format(code=code), {"field": "code"})


@transaction.atomic
def township_save(
    *,
    county: County,
    code: str,
    name: str,
    group: TownshipGroup | None,
    order: int = 0,
    is_active: bool = True,
    township: Township | None = None,
) -> Township:
    """Create a township, or update `township` when given."""
    if group is not None and group.county_id != county.pk:
        raise DomainError(OTHER_COUNTY, {"field": "group"})
    _check_code_free(
        Township, county=county, code=code, exclude_pk=township.pk if township else None
    )
    township = township or Township(county=county)
    township.code, township.name, township.group = code, name, group
    township.order, township.is_active = order, is_active
    township.save()
    return township


@transaction.atomic
def group_save(
    *,
    county: County,
    code: str,
    name: str,
    order: int = 0,
    group: TownshipGroup | None = None,
) -> TownshipGroup:
    _check_code_free(
        TownshipGroup, county=county, code=code, exclude_pk=group.pk if group else None
    )
    group = group or TownshipGroup(county=county)
    group.code, group.name, group.order = code, name, order
    group.save()
    return group


@transaction.atomic
def group_delete(*, group: TownshipGroup) -> None:
    try:
        group.delete()
    except ProtectedError as exc:
        raise DomainError(GROUP_IN_USE.format(name=group.name)) from exc


@transaction.atomic
def department_save(
    *, county: County, code: str, name: str, department: Department | None = None
) -> Department:
    _check_code_free(
        Department,
        county=county,
        code=code,
        exclude_pk=department.pk if department else None,
    )
    department = department or Department(county=county)
    department.code, department.name = code, name
    department.save()
    return department


@transaction.atomic
def department_delete(*, department: Department) -> None:
    try:
        department.delete()
    except ProtectedError as exc:
        raise DomainError(DEPARTMENT_IN_USE.format(name=department.name)) from exc


def _check_binding(
    *,
    county: County,
    role: Role,
    township: Township | None,
    department: Department | None,
) -> tuple[Township | None, Department | None]:
    """Keep only the binding the role uses, and check it belongs to the county."""
    if role == Role.DEPARTMENT:
        if department is None:
            raise DomainError(ROLE_NEEDS_DEPARTMENT, {"field": "department"})
        township = None
    elif role == Role.TOWNSHIP:
        if township is None:
            raise DomainError(ROLE_NEEDS_TOWNSHIP, {"field": "township"})
        department = None
    else:
        township = department = None
    for obj in (township, department):
        if obj is not None and obj.county_id != county.pk:
            raise DomainError(OTHER_COUNTY)
    return township, department


@transaction.atomic
def user_create(
    *,
    county: County,
    username: str,
    full_name: str,
    password: str,
    role: Role,
    township: Township | None = None,
    department: Department | None = None,
) -> AbstractUser:
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise DomainError(
            USERNAME_TAKEN.format(username=username), {"field": "username"}
        )
    township, department = _check_binding(
        county=county, role=role, township=township, department=department
    )
    user = user_model(username=username, first_name=full_name)
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    Membership.objects.create(
        user=user, county=county, role=role, township=township, department=department
    )
    return user


@transaction.atomic
def user_update(
    *,
    membership: Membership,
    full_name: str,
    role: Role,
    is_active: bool,
    township: Township | None = None,
    department: Department | None = None,
    acting_user: AbstractUser,
) -> Membership:
    # Lock the row: two admins editing one account must not interleave.
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .get(pk=membership.pk)
    )
    user = membership.user
    if user.pk == acting_user.pk and (role != Role.ADMIN or not is_active):
        raise DomainError(CANNOT_DEMOTE_SELF)
    township, department = _check_binding(
        county=membership.county, role=role, township=township, department=department
    )
    membership.role, membership.township, membership.department = (
        role,
        township,
        department,
    )
    membership.save()
    user.first_name, user.is_active = full_name, is_active
    user.save(update_fields=["first_name", "is_active"])
    return membership


def user_set_password(*, user: AbstractUser, password: str) -> None:
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def _validate_password(password: str, user: AbstractUser) -> None:
    try:
        validate_password(password, user)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), {"field": "password"}) from exc
