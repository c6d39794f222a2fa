from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from townships.navigation import nav_for


def membership(request: HttpRequest) -> dict[str, Any]:
    """The user's scope and navigation for the base layout."""
    scope = getattr(request, "scope", None)
    if scope is None:
        return {"scope": None, "nav": []}
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return {"scope": scope, "nav": nav_for(scope.role), "current_view": view_name}
