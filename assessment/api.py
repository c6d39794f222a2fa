"""JSON API for plans, periods, computations and results (/api/v1/).

The plan web layer lives here, at the top, because importing a plan also
creates the county's groups and departments (townships), which `indicators`
must not import.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from assessment.models import Computation, ResultSet
from assessment.services import computation_request, results_document
from indicators.errors import DomainError, InvalidInput, Problem
from indicators.files import read_upload
from indicators.models import Plan
from indicators.numbers import dump_json
from indicators.plan_format import parse_plan, plan_to_dict
from indicators.selectors import plan_current, plans_of
from indicators.services import load_json_document, plan_new_version, plan_publish
from indicators.storage import plan_document, plan_spec, to_jsonable
from townships.api import ScopedAPIView
from townships.models import Role
from townships.period_data import county_plan_import

ADMIN = (Role.ADMIN,)
MSG_NO_DOCUMENT = "请上传方案文件(file 字段),或以 JSON 对象作为请求正文"
MSG_NO_DRAFT = "方案“{code}”没有草稿可发布"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExactJSONParser(BaseParser):
    """JSON with numbers as Decimal (DRF's own parser would make floats)."""

    media_type = "application/json"

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        return load_json_document(stream.read())


def _uploaded_document(request: Request, kind: str) -> dict[str, Any]:
    upload = request.FILES.get("file")
    if upload is not None:
        return read_upload(upload, kind=kind)  # type: ignore[arg-type]
    if isinstance(request.data, dict) and request.data and "file" not in request.data:
        return dict(request.data)
    raise DomainError(MSG_NO_DOCUMENT)


class PlanOut(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    status = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)


class PlanDetailOut(PlanOut):
    document = serializers.JSONField(help_text="assessment-plan/1")


class ProblemOut(serializers.Serializer):
    path = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class ComputationOut(serializers.Serializer):
    uuid = serializers.UUIDField()
    plan = serializers.CharField(source="plan_code")
    period = serializers.CharField(source="period_code")
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    progress = serializers.IntegerField()
    error = serializers.CharField()
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


def _plan_out(plan: Plan, *, detail: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": plan.code,
        "version": plan.version,
        "name": plan.name,
        "year": plan.year,
        "status": plan.status,
        "published_at": plan.published_at,
    }
    if detail:
        data["document"] = to_jsonable(plan_document(plan))
        return PlanDetailOut(data).data
    return PlanOut(data).data


class PlanListView(ScopedAPIView):
    @extend_schema(responses=PlanOut(many=True), summary="考核方案(全部版本)")
    def get(self, request: Request) -> Response:
        plans = plans_of(self.scope.county).order_by("code", "-version")
        return Response([_plan_out(p) for p in plans])


def _get_plan(view: ScopedAPIView, code: str) -> Plan:
    """The plan `?version=N`, else the current version; 404 outside the county."""
    county = view.scope.county
    version = view.request.query_params.get("version")
    if version is None:
        plan = plan_current(county, code)
        if plan is None:
            raise Http404
        return plan
    if not version.isdigit():
        raise Http404
    return get_object_or_404(plans_of(county), code=code, version=int(version))


class PlanDetailView(ScopedAPIView):
    @extend_schema(
        responses=PlanDetailOut,
        summary="方案详情(含指标体系)",
        parameters=[OpenApiParameter("version", int, description="版本;默认当前版本")],
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(_plan_out(_get_plan(self, code), detail=True))


class PlanImportView(ScopedAPIView):
    roles = ADMIN
    parser_classes = [ExactJSONParser, MultiPartParser]

    @extend_schema(
        request={"application/json": dict, "multipart/form-data": dict},
        responses={201: PlanDetailOut},
        summary="导入方案(JSON 或 .xlsx),存为草稿",
    )
    def post(self, request: Request) -> Response:
        document = _uploaded_document(request, "plan")
        plan = county_plan_import(
            county=self.scope.county, data=document, user=request.user
        )
        return Response(_plan_out(plan, detail=True), status=status.HTTP_201_CREATED)


class PlanValidateView(ScopedAPIView):
    roles = ADMIN
    parser_classes = [ExactJSONParser, MultiPartParser]

    @extend_schema(
        request={"application/json": dict, "multipart/form-data": dict},
        responses=inline_serializer(
            "PlanValidation",
            {"valid": serializers.BooleanField(), "problems": ProblemOut(many=True)},
        ),
        summary="校验方案,不写入",
    )
    def post(self, request: Request) -> Response:
        problems: list[Problem] = []
        try:
            parse_plan(_uploaded_document(request, "plan"))
        except InvalidInput as exc:
            problems = exc.problems
        return Response(
            {"valid": not problems, "problems": [p.as_dict() for p in problems]}
        )


class PlanExportView(ScopedAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["json", "xlsx"]),
            OpenApiParameter("version", int),
        ],
        responses={(200, "application/json"): dict, (200, XLSX): bytes},
        summary="导出方案",
    )
    def get(self, request: Request, code: str) -> HttpResponse:
        plan = _get_plan(self, code)
        document = plan_to_dict(plan_spec(plan))
        filename = f"{plan.code}-v{plan.version}"
        if request.query_params.get("format") == "xlsx":
            from indicators.xlsx import plan_to_xlsx

            response = HttpResponse(plan_to_xlsx(document), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
            return response
        response = HttpResponse(dump_json(document), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response


class PlanPublishView(ScopedAPIView):
    roles = ADMIN

    @extend_schema(request=None, responses=PlanOut, summary="发布方案草稿")
    def post(self, request: Request, code: str) -> Response:
        draft = plans_of(self.scope.county).filter(code=code, status="draft").first()
        if draft is None:
            if not plans_of(self.scope.county).filter(code=code).exists():
                raise Http404
            raise DomainError(MSG_NO_DRAFT.format(code=code))
        return Response(_plan_out(plan_publish(plan=draft, user=request.user)))


class PlanNewVersionView(ScopedAPIView):
    roles = ADMIN

    @extend_schema(
        request=None, responses={201: PlanOut}, summary="由已发布方案创建新版本草稿"
    )
    def post(self, request: Request, code: str) -> Response:
        plan = plan_current(self.scope.county, code)
        if plan is None:
            raise Http404
        draft = plan_new_version(plan=plan, user=request.user)
        return Response(_plan_out(draft), status=status.HTTP_201_CREATED)


class PeriodOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    composite = serializers.BooleanField()
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text="当前结果的计算时间"
    )


class PeriodListView(ScopedAPIView):
    @extend_schema(responses=PeriodOut(many=True), summary="方案的考核周期")
    def get(self, request: Request, code: str) -> Response:
        plan = _get_plan(self, code)
        computed = dict(
            ResultSet.objects.filter(
                county=self.scope.county, plan_code=plan.code, is_current=True
            ).values_list("period_code", "created_at")
        )
        periods = plan.periods.annotate(n=Count("components"))
        return Response(
            PeriodOut(
                [
                    {
                        "code": p.code,
                        "name": p.name,
                        "start": p.start,
                        "end": p.end,
                        "composite": p.n > 0,
                        "computed_at": computed.get(p.code),
                    }
                    for p in periods
                ],
                many=True,
            ).data
        )


class ResultView(ScopedAPIView):
    @extend_schema(responses=dict, summary="周期考核结果(assessment-result/1)")
    def get(self, request: Request, plan: str, period: str) -> Response:
        try:
            document = results_document(
                county=self.scope.county, plan_code=plan, period_code=period
            )
        except DomainError as exc:
            raise Http404 from exc
        if self.scope.is_township and self.scope.township is not None:
            own = self.scope.township.code
            document["townships"] = [
                t for t in document["townships"] if t["code"] == own
            ]
        return Response(document)


class ComputeView(ScopedAPIView):
    roles = ADMIN

    @extend_schema(
        request=None, responses={202: ComputationOut}, summary="重新计算周期结果"
    )
    def post(self, request: Request, plan: str, period: str) -> Response:
        computation = computation_request(
            county=self.scope.county,
            plan_code=plan,
            period_code=period,
            user=request.user,
        )
        return Response(
            ComputationOut(computation).data, status=status.HTTP_202_ACCEPTED
        )


class ComputationView(ScopedAPIView):
    @extend_schema(responses=ComputationOut, summary="计算任务状态")
    def get(self, request: Request, uuid: str) -> Response:
        computation = get_object_or_404(
            Computation, county=self.scope.county, uuid=uuid
        )
        return Response(ComputationOut(computation).data)
