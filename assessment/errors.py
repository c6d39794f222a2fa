"""How errors reach users: one API exception handler, and the error pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from indicators.errors import DomainError

INVALID_REQUEST = "请求内容有误"
NOT_FOUND = "未找到该对象,或您无权访问"
FORBIDDEN = "您没有执行该操作的权限"
NOT_AUTHENTICATED = "请先登录"
METHOD_NOT_ALLOWED = "不支持该请求方法:{method}"


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is `{"message": ..., "extra": {...}}` with a Chinese message."""
    if isinstance(exc, DomainError):
        return Response({"message": exc.message, "extra": exc.extra}, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # unexpected: a real 500, logged by Django
    message, extra = _describe(exc, response, context)
    response.data = {"message": message, "extra": extra}
    return response


def _describe(
    exc: Exception, response: Response, context: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    if isinstance(exc, exceptions.ValidationError):
        return INVALID_REQUEST, {"fields": response.data}
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return NOT_AUTHENTICATED, {}
    if isinstance(exc, exceptions.PermissionDenied):
        return FORBIDDEN, {}
    if isinstance(exc, exceptions.NotFound):
        return NOT_FOUND, {}
    if isinstance(exc, exceptions.MethodNotAllowed):
        method = getattr(context.get("request"), "method", "")
        return METHOD_NOT_ALLOWED.format(method=method), {}
    if response.status_code == status.HTTP_415_UNSUPPORTED_MEDIA_TYPE:
        return INVALID_REQUEST, {"detail": str(exc)}
    detail = getattr(exc, "detail", str(exc))
    return str(detail), {}


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
