"""The plan pages: list and import, the tree editor, preview, publish, diff.

Here rather than in `indicators` because importing a plan also creates the
county's groups and departments (`townships`), which `indicators` must not
import. The writes themselves are `indicators.services`.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.preview import RECORD_FIELDS, indicator_preview
from indicators import services
from indicators.diff import plan_diff
from indicators.errors import DomainError, InvalidInput, Problem, apply_domain_error
from indicators.files import read_upload
from indicators.forms import METHOD_LABELS, IndicatorForm, field_for_path, initial_for
from indicators.models import Indicator, IndicatorRole, Plan
from indicators.plan_format import parse_plan
from indicators.selectors import plan_current, plan_tree, plans_of
from indicators.storage import plan_document
from townships.models import Role
from townships.period_data import county_plan_import
from townships.scoping import get_scope, scoped

ADMIN = (Role.ADMIN,)
READERS = (Role.ADMIN, Role.LEADER, Role.DEPARTMENT)
MSG_NO_FILE = "请选择要导入的方案文件(.json 或 .xlsx)"


def _get_plan(request: HttpRequest, code: str, version: int) -> Plan:
    return get_object_or_404(
        plans_of(get_scope(request).county), code=code, version=version
    )


def _get_node(plan: Plan, code: str) -> Indicator:
    return get_object_or_404(plan.indicators, code=code)


# --- list and import ------------------------------------------------------------


@require_GET
@scoped(*READERS)
def plan_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request)


def _render_list(
    request: HttpRequest, problems: list[Problem] | None = None, error: str = ""
) -> HttpResponse:
    plans = plans_of(get_scope(request).county).order_by("code", "-version")
    families: dict[str, list[Plan]] = {}
    for plan in plans:
        families.setdefault(plan.code, []).append(plan)
    context = {"families": families, "problems": problems or [], "error": error}
    return render(
        request, "assessment/plan_list.html", context, status=400 if error else 200
    )


@require_POST
@scoped(*ADMIN)
def plan_import_page(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return _render_list(request, error=MSG_NO_FILE)
    try:
        document = read_upload(upload, kind="plan")
        plan = county_plan_import(
            county=get_scope(request).county, data=document, user=request.user
        )
    except InvalidInput as exc:
        return _render_list(request, problems=exc.problems, error=exc.message)
    except DomainError as exc:
        return _render_list(request, error=exc.message)
    messages.success(
        request,
        _("已导入方案“%(name)s”第 %(v)s 版(草稿)")
        % {"name": plan.name, "v": plan.version},
    )
    return redirect("plan-detail", code=plan.code, version=plan.version)


# --- the tree -------------------------------------------------------------------


@require_GET
@scoped(*READERS)
def plan_current_redirect(request: HttpRequest, code: str) -> HttpResponse:
    plan = plan_current(get_scope(request).county, code)
    if plan is None:
        raise Http404
    return redirect("plan-detail", code=plan.code, version=plan.version)


@require_GET
@scoped(*READERS)
def plan_detail(request: HttpRequest, code: str, version: int) -> HttpResponse:
    plan = _get_plan(request, code, version)
    rows = plan_tree(plan)
    problems: list[Problem] = []
    try:
        parse_plan(plan_document(plan))
    except InvalidInput as exc:
        problems = exc.problems
    versions = plans_of(plan.county).filter(code=plan.code).order_by("-version")
    departments = {d["code"]: d["name"] for d in plan.departments}
    groups = {g["code"]: g["name"] for g in plan.groups}
    context = {
        "plan": plan,
        "rows": rows,
        "problems": problems,
        "versions": versions,
        "departments": departments,
        "group_names": groups,
        "method_labels": METHOD_LABELS,
        "role_labels": dict(IndicatorRole.choices),
        "editable": plan.is_draft and get_scope(request).is_admin,
    }
    return render(request, "assessment/plan_detail.html", context)


def _form(
    request: HttpRequest, plan: Plan, node: Indicator | None, *, is_category: bool
) -> IndicatorForm:
    data = request.POST if request.method == "POST" else None
    initial = initial_for(node) if node is not None else {"role": "basic"}
    values = data or request.GET or initial
    role = values.get("role") or initial.get("role")
    method = values.get("method_type") or initial.get("method_type") or "ratio"
    return IndicatorForm(
        data,
        initial=initial,
        is_category=is_category,
        role=role,
        method=method,
        groups=plan.groups,
        departments=plan.departments,
    )


@require_http_methods(["GET", "POST"])
@scoped(*ADMIN)
def indicator_edit(
    request: HttpRequest, code: str, version: int, node_code: str | None = None
) -> HttpResponse:
    """Add (`?parent=…&kind=category|item`) or edit a node. htmx re-renders the
    form when the method changes and validates it as the user types."""
    plan = _get_plan(request, code, version)
    if not plan.is_draft:
        messages.error(
            request, services.MSG_NOT_DRAFT.format(name=plan.name, version=plan.version)
        )
        return redirect("plan-detail", code=plan.code, version=plan.version)
    node = _get_node(plan, node_code) if node_code else None
    parent_code = request.GET.get("parent") or ""
    parent = _get_node(plan, parent_code) if parent_code else None
    is_category = node.is_category if node else request.GET.get("kind") == "category"
    form = _form(request, plan, node, is_category=is_category)
    method = form.data.get("method_type") if form.is_bound else None
    method = method or (node.method_type if node else None) or "ratio"
    saving = request.method == "POST" and "_validate" not in request.POST
    if request.method == "POST" and form.is_valid():
        fields = form.document_fields(method)
        if not form.errors:
            try:
                if not saving:
                    _validate_only(plan, fields, node, parent)
                else:
                    saved = services.indicator_save(
                        plan=plan, fields=fields, node=node, parent=parent
                    )
                    messages.success(
                        request, _("已保存指标“%(name)s”") % {"name": saved.name}
                    )
                    return redirect("plan-detail", code=plan.code, version=plan.version)
            except InvalidInput as exc:
                _problems_to_form(form, exc.problems)
            except DomainError as exc:
                apply_domain_error(form, exc)
    context = {
        "plan": plan,
        "node": node,
        "parent": parent,
        "form": form,
        "is_category": is_category,
        "method": method,
        "record_field": RECORD_FIELDS.get(method),
    }
    template = "assessment/indicator_form.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#node-form"
    return render(request, template, context)


def _validate_only(
    plan: Plan, fields: dict[str, Any], node: Indicator | None, parent: Indicator | None
) -> None:
    """Run the save's checks without saving (inline validation)."""
    with transaction.atomic():
        services.indicator_save(plan=plan, fields=fields, node=node, parent=parent)
        transaction.set_rollback(True)


def _problems_to_form(form: IndicatorForm, problems: list[Problem]) -> None:
    node_path = _common_node_path(problems)
    for problem in problems:
        name = field_for_path(problem.path, node_path)
        form.add_error(name if name in form.fields else None, problem.message)


def _common_node_path(problems: list[Problem]) -> str:
    """`indicators[0].children[2]` from the problems' paths (all in one node)."""
    match = re.match(r"^(indicators(?:\[\d+\](?:\.children)?)+)", problems[0].path)
    path = match.group(1) if match else ""
    return path.removesuffix(".children")


@require_POST
@scoped(*ADMIN)
def indicator_move(
    request: HttpRequest, code: str, version: int, node_code: str
) -> HttpResponse:
    plan = _get_plan(request, code, version)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        services.indicator_move(node=_get_node(plan, node_code), direction=direction)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("plan-detail", code=plan.code, version=plan.version)


@require_POST
@scoped(*ADMIN)
def indicator_delete(
    request: HttpRequest, code: str, version: int, node_code: str
) -> HttpResponse:
    plan = _get_plan(request, code, version)
    node = _get_node(plan, node_code)
    try:
        services.indicator_delete(node=node)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除“%(name)s”及其下级") % {"name": node.name})
    return redirect("plan-detail", code=plan.code, version=plan.version)


@require_POST
@scoped(*READERS)
def indicator_preview_page(
    request: HttpRequest, code: str, version: int, node_code: str
) -> HttpResponse:
    """htmx: the score the typed value would get, with the workings."""
    plan = _get_plan(request, code, version)
    node = _get_node(plan, node_code)
    field = RECORD_FIELDS.get(node.method_type)
    preview = None
    if field is not None and request.POST.get("entry", "").strip():
        raw = request.POST["entry"].strip()
        value: Any = (
            [i for i in raw.replace("、", ",").split(",") if i.strip()]
            if field == "items"
            else raw
        )
        preview = indicator_preview(
            county=get_scope(request).county,
            plan_row=plan,
            code=node.code,
            entry={field: value},
            target=request.POST.get("target", "").strip() or None,
        )
    return render(
        request,
        "assessment/indicator_form.html#preview",
        {"preview": preview, "node": node, "record_field": field},
    )


# --- publish, versions, diff -----------------------------------------------------


@require_POST
@scoped(*ADMIN)
def plan_publish_page(request: HttpRequest, code: str, version: int) -> HttpResponse:
    plan = _get_plan(request, code, version)
    try:
        services.plan_publish(plan=plan, user=request.user)
    except InvalidInput as exc:
        messages.error(
            request,
            _("方案还有 %(n)s 处问题,修正后才能发布") % {"n": len(exc.problems)},
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("方案已发布,此后不能再修改;如需调整请创建新版本"))
    return redirect("plan-detail", code=plan.code, version=plan.version)


@require_POST
@scoped(*ADMIN)
def plan_new_version_page(
    request: HttpRequest, code: str, version: int
) -> HttpResponse:
    plan = _get_plan(request, code, version)
    try:
        draft = services.plan_new_version(plan=plan, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("plan-detail", code=plan.code, version=plan.version)
    messages.success(request, _("已创建第 %(v)s 版草稿") % {"v": draft.version})
    return redirect("plan-detail", code=draft.code, version=draft.version)


@require_GET
@scoped(*READERS)
def plan_diff_page(request: HttpRequest, code: str) -> HttpResponse:
    versions = list(
        plans_of(get_scope(request).county).filter(code=code).order_by("version")
    )
    if not versions:
        raise Http404
    by_number = {p.version: p for p in versions}

    def pick(name: str, default: Plan) -> Plan:
        raw = request.GET.get(name, "")
        return by_number.get(int(raw), default) if raw.isdigit() else default

    new = pick("b", versions[-1])
    old = pick("a", versions[-2] if len(versions) > 1 else versions[-1])
    diff = plan_diff(plan_document(old), plan_document(new))
    context = {"versions": versions, "old": old, "new": new, "diff": diff, "code": code}
    return render(request, "assessment/plan_diff.html", context)
