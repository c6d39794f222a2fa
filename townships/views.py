"""Pages: sign-in, home, and the county's organisation (admin pages)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from indicators.errors import DomainError, apply_domain_error
from townships import services
from townships.forms import (
    DepartmentForm,
    GroupForm,
    LoginForm,
    PasswordSetForm,
    TownshipForm,
    UserCreateForm,
    UserEditForm,
)
from townships.models import Role
from townships.scoping import (
    departments_for,
    get_department_for_user,
    get_group_for_user,
    get_membership_for_user,
    get_scope,
    get_township_for_user,
    groups_for,
    memberships_for,
    scoped,
    townships_for,
)

PAGE_SIZE = 50
ADMIN_ONLY = (Role.ADMIN,)
READERS = (Role.ADMIN, Role.LEADER)


class SignInView(LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(
    request: HttpRequest, original_response: Any, credentials: Any
) -> HttpResponse:
    """Shown instead of the login result while (username, IP) is locked."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = (credentials or {}).get("username", "")
    form = LoginForm(request, initial={"username": username})
    message = _(
        "该账号登录失败次数过多,已被暂时锁定,请 %(minutes)s 分钟后再试,或联系考核办重置。"
    ) % {"minutes": minutes}
    context = {"form": form, "locked_message": message}
    return render(request, "registration/login.html", context, status=429)


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@scoped()
def home(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request)
    context = {
        "township_count": townships_for(scope).filter(is_active=True).count(),
        "group_count": groups_for(scope).count(),
        "department_count": departments_for(scope).count(),
    }
    return render(request, "townships/home.html", context)


@require_http_methods(["GET", "POST"])
@scoped()
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改"))
        return redirect("home")
    return render(request, "registration/password_change.html", {"form": form})


# --- Townships ------------------------------------------------------------------


@require_GET
@scoped()
def township_list(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request)
    query = request.GET.get("q", "").strip()
    qs = townships_for(scope)
    if query:
        qs = qs.filter(name__icontains=query) | qs.filter(code__icontains=query)
    return render(
        request,
        "townships/township_list.html",
        {"page": _page(request, qs), "q": query},
    )


@require_GET
@scoped()
def township_detail(request: HttpRequest, code: str) -> HttpResponse:
    township = get_township_for_user(request, code)
    return render(request, "townships/township_detail.html", {"township": township})


@require_http_methods(["GET", "POST"])
@scoped(*ADMIN_ONLY)
def township_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    scope = get_scope(request)
    township = get_township_for_user(request, code) if code else None
    initial = (
        {
            "code": township.code,
            "name": township.name,
            "group": township.group.code if township.group else None,
            "order": township.order,
            "is_active": township.is_active,
        }
        if township
        else {"is_active": True}
    )
    form = TownshipForm(request.POST or None, initial=initial, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.township_save(
                county=scope.county,
                code=data["code"],
                name=data["name"],
                group=data["group"],
                order=data["order"] or 0,
                is_active=data["is_active"],
                township=township,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已保存乡镇“%(name)s”") % {"name": saved.name})
            return redirect("townships:township-detail", code=saved.code)
    return render(
        request, "townships/form.html", _form_context(form, township, "township")
    )


# --- Groups and departments --------------------------------------------------


@require_GET
@scoped(*READERS)
def group_list(request: HttpRequest) -> HttpResponse:
    groups = groups_for(get_scope(request)).prefetch_related("townships")
    return render(request, "townships/group_list.html", {"groups": groups})


@require_http_methods(["GET", "POST"])
@scoped(*ADMIN_ONLY)
def group_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    scope = get_scope(request)
    group = get_group_for_user(request, code) if code else None
    initial = (
        {"code": group.code, "name": group.name, "order": group.order} if group else {}
    )
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_save(
                county=scope.county,
                code=data["code"],
                name=data["name"],
                order=data["order"] or 0,
                group=group,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("已保存类别“%(name)s”") % {"name": data["name"]}
            )
            return redirect("townships:group-list")
    return render(request, "townships/form.html", _form_context(form, group, "group"))


@require_POST
@scoped(*ADMIN_ONLY)
def group_delete(request: HttpRequest, code: str) -> HttpResponse:
    group = get_group_for_user(request, code)
    try:
        services.group_delete(group=group)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除类别“%(name)s”") % {"name": group.name})
    return redirect("townships:group-list")


@require_GET
@scoped(*READERS)
def department_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, departments_for(get_scope(request)))
    return render(request, "townships/department_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@scoped(*ADMIN_ONLY)
def department_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    scope = get_scope(request)
    department = get_department_for_user(request, code) if code else None
    initial = {"code": department.code, "name": department.name} if department else {}
    form = DepartmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.department_save(
                county=scope.county,
                code=data["code"],
                name=data["name"],
                department=department,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("已保存部门“%(name)s”") % {"name": data["name"]}
            )
            return redirect("townships:department-list")
    return render(
        request, "townships/form.html", _form_context(form, department, "department")
    )


@require_POST
@scoped(*ADMIN_ONLY)
def department_delete(request: HttpRequest, code: str) -> HttpResponse:
    department = get_department_for_user(request, code)
    try:
        services.department_delete(department=department)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除部门“%(name)s”") % {"name": department.name})
    return redirect("townships:department-list")


# --- Accounts -------------------------------------------------------------------


@require_GET
@scoped(*ADMIN_ONLY)
def user_list(request: HttpRequest) -> HttpResponse:
    qs = memberships_for(get_scope(request)).order_by("role", "user__username")
    role = request.GET.get("role", "")
    if role in Role.values:
        qs = qs.filter(role=role)
    return render(
        request,
        "townships/user_list.html",
        {"page": _page(request, qs), "roles": Role.choices, "role": role},
    )


@require_http_methods(["GET", "POST"])
@scoped(*ADMIN_ONLY)
def user_create(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request)
    form = UserCreateForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                county=scope.county,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password1"],
                role=data["role"],
                township=data["township"],
                department=data["department"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("已创建账号“%(name)s”") % {"name": user.username}
            )
            return redirect("townships:user-list")
    return render(request, "townships/form.html", _form_context(form, None, "user"))


@require_http_methods(["GET", "POST"])
@scoped(*ADMIN_ONLY)
def user_edit(request: HttpRequest, username: str) -> HttpResponse:
    membership = get_membership_for_user(request, username)
    user = membership.user
    initial = {
        "full_name": user.first_name,
        "role": membership.role,
        "township": membership.township.code if membership.township else None,
        "department": membership.department.code if membership.department else None,
        "is_active": user.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial, scope=get_scope(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                membership=membership,
                full_name=data["full_name"],
                role=data["role"],
                is_active=data["is_active"],
                township=data["township"],
                department=data["department"],
                acting_user=request.user,  # type: ignore[arg-type]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("已保存账号“%(name)s”") % {"name": user.username}
            )
            return redirect("townships:user-list")
    context = _form_context(form, membership, "user")
    context["title"] = _("编辑账号 %(name)s") % {"name": user.username}
    return render(request, "townships/form.html", context)


@require_http_methods(["GET", "POST"])
@scoped(*ADMIN_ONLY)
def user_password(request: HttpRequest, username: str) -> HttpResponse:
    membership = get_membership_for_user(request, username)
    form = PasswordSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                user=membership.user, password=form.cleaned_data["password1"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("已重置账号“%(name)s”的密码") % {"name": membership.user.username},
            )
            return redirect("townships:user-list")
    context = _form_context(form, membership, "user")
    context["title"] = _("重置密码:%(name)s") % {"name": membership.user.username}
    return render(request, "townships/form.html", context)


_TITLES = {
    "township": (
        gettext_lazy("新增乡镇(街道)"),
        gettext_lazy("编辑乡镇(街道)"),
        "townships:township-list",
    ),
    "group": (
        gettext_lazy("新增类别"),
        gettext_lazy("编辑类别"),
        "townships:group-list",
    ),
    "department": (
        gettext_lazy("新增考核部门"),
        gettext_lazy("编辑考核部门"),
        "townships:department-list",
    ),
    "user": (gettext_lazy("新增账号"), gettext_lazy("编辑账号"), "townships:user-list"),
}


def _form_context(form: Any, obj: Any, kind: str) -> dict[str, Any]:
    new_title, edit_title, back = _TITLES[kind]
    return {
        "form": form,
        "object": obj,
        "title": edit_title if obj else new_title,
        "back": back,
    }
