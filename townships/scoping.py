"""Who the user is acting as, and the one place that scopes queries by it.

Every view starts from `request.scope` (set by the `scoped` decorator) and
reaches objects only through the getters here, so an object outside the
user's county, township or department is a 404 everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

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

V = TypeVar("V", bound=Callable[..., HttpResponse])


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


def scoped(*roles: Role) -> Callable[[V], V]:
    """Require a logged-in user with a membership, and one of `roles` if given.

    Anonymous users go to the login page; a user without a role, or with a
    role not allowed here, gets 403. The scope is put on `request.scope`.
    """

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            scope = scope_for(request.user)
            if scope is None or (roles and scope.role not in roles):
                raise PermissionDenied
            request.scope = scope  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


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
