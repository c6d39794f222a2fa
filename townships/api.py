"""JSON API for the organisation, under /api/v1/."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.access import HasRole
from townships.models import Role, Township
from townships.scoping import Scope, townships_for


class ScopedAPIView(APIView):
    permission_classes = [HasRole]
    roles: tuple[Role, ...] = ()

    @property
    def scope(self) -> Scope:
        scope: Scope = self.request.scope  # type: ignore[attr-defined]
        return scope


class MeOut(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    county = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    township = serializers.CharField(allow_null=True)
    department = serializers.CharField(allow_null=True)


class TownshipOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    group = serializers.CharField(source="group.code", allow_null=True, default=None)
    group_name = serializers.CharField(
        source="group.name", allow_null=True, default=None
    )
    is_active = serializers.BooleanField()


class MeView(ScopedAPIView):
    @extend_schema(responses=MeOut, summary="当前账号")
    def get(self, request: Request) -> Response:
        s = self.scope
        data: dict[str, Any] = {
            "username": request.user.get_username(),
            "full_name": getattr(request.user, "first_name", ""),
            "county": s.county.code,
            "role": s.role,
            "township": s.township.code if s.township else None,
            "department": s.department.code if s.department else None,
        }
        return Response(MeOut(data).data)


class TownshipListView(ScopedAPIView, generics.ListAPIView):
    """乡镇(街道)列表:township users see only their own."""

    serializer_class = TownshipOut

    def get_queryset(self) -> QuerySet[Township]:
        return townships_for(self.scope)


class TownshipDetailView(ScopedAPIView, generics.RetrieveAPIView):
    """乡镇(街道)详情."""

    serializer_class = TownshipOut
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Township]:
        return townships_for(self.scope)
