"""Role checks for pages and API views, shared by every app.

`townships.middleware.ScopeMiddleware` puts the user's scope on the request
(`request.scope`: an object with `county`, `role`, `township`, `department`,
or None). The checks here only read it, so apps below `townships` can guard
their views without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

V = TypeVar("V", bound=Callable[..., HttpResponse])


def role_required(*roles: str) -> Callable[[V], V]:
    """Require a signed-in user with a role (one of `roles` when given).

    Anonymous users go to the login page; a user without a role, or with a
    role not allowed here, gets 403.
    """

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            scope = getattr(request, "scope", None)
            if scope is None or (roles and scope.role not in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


class HasRole(BasePermission):
    """DRF: a signed-in user with a role, one of the view's `roles` if it sets any."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        scope = getattr(request, "scope", None)
        roles: tuple[str, ...] = getattr(view, "roles", ())
        return scope is not None and (not roles or scope.role in roles)
