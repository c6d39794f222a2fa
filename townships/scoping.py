"""Who the user is acting as, and the one place that scopes queries by it.

Every view starts from `request.scope` (set by `townships.middleware`) and
reaches objects only through the getters here, so an object outside the
user's county, township or department is a 404 everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from indicators.access import role_required
from townships.models import (
    County,
    Department,
    Membership,
    Role,
    Township,
    TownshipGroup,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass(frozen=True)
class Scope:
    """The county a user works in and what the role binds them to."""

    county: County
    role: Role
    township: Township | None = None
    department: Department | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_department(self) -> bool:
        return self.role == Role.DEPARTMENT

    @property
    def is_township(self) -> bool:
        return self.role == Role.TOWNSHIP

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def scope_for(user: AbstractBaseUser | AnonymousUser) -> Scope | None:
    """The user's scope, or None for anonymous users and users without a role."""
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        membership = Membership.objects.select_related(
            "county", "township", "department"
        ).get(user_id=user.pk)
    except Membership.DoesNotExist:
        return None
    return Scope(
        county=membership.county,
        role=Role(membership.role),
        township=membership.township,
        department=membership.department,
    )


# Views guard themselves with `scoped(Role.ADMIN, ...)`: the scope itself is put
# on the request by `townships.middleware.ScopeMiddleware`.
scoped = role_required


def get_scope(request: HttpRequest) -> Scope:
    scope: Scope = request.scope  # type: ignore[attr-defined]
    return scope


# --- Selectors: every query of this app's objects goes through these ----------


def townships_for(scope: Scope) -> QuerySet[Township]:
    """Townships the user may see: all of the county, or only their own."""
    qs = Township.objects.filter(county=scope.county).select_related("group")
    if scope.is_township:
        # A township user without a township (impossible by constraint) sees nothing.
        qs = qs.filter(pk=scope.township.pk) if scope.township else qs.none()
    return qs


def groups_for(scope: Scope) -> QuerySet[TownshipGroup]:
    return TownshipGroup.objects.filter(county=scope.county)


def departments_for(scope: Scope) -> QuerySet[Department]:
    return Department.objects.filter(county=scope.county)


def memberships_for(scope: Scope) -> QuerySet[Membership]:
    return Membership.objects.filter(county=scope.county).select_related(
        "user", "township", "department"
    )


def get_township_for_user(request: HttpRequest, code: str) -> Township:
    return get_object_or_404(townships_for(get_scope(request)), code=code)


def get_group_for_user(request: HttpRequest, code: str) -> TownshipGroup:
    return get_object_or_404(groups_for(get_scope(request)), code=code)


def get_department_for_user(request: HttpRequest, code: str) -> Department:
    return get_object_or_404(departments_for(get_scope(request)), code=code)


def get_membership_for_user(request: HttpRequest, username: str) -> Membership:
    return get_object_or_404(
        memberships_for(get_scope(request)), user__username=username
    )
