from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from townships.scoping import scope_for


class ScopeMiddleware:
    """Put the signed-in user's scope on `request.scope` (None without a role)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope = scope_for(request.user)  # type: ignore[attr-defined]
        return self.get_response(request)
