"""Forms turn what users type into domain values; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from townships.models import Department, Role, Township, TownshipGroup, code_validator
from townships.scoping import Scope

PASSWORDS_DIFFER = _("两次输入的密码不一致")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "用户名或密码不正确。注意:连续输错多次后该账号将被暂时锁定。"
        ),
        "inactive": _("该账号已停用,请联系考核办。"),
    }


class CodeNameForm(forms.Form):
    code = forms.CharField(label=_("编码"), max_length=32, validators=[code_validator])
    name = forms.CharField(label=_("名称"), max_length=100)

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


class GroupForm(CodeNameForm):
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)


class DepartmentForm(CodeNameForm):
    pass


class TownshipForm(CodeNameForm):
    group = forms.ModelChoiceField(
        label=_("类别"), queryset=TownshipGroup.objects.none(), required=False
    )
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    is_active = forms.BooleanField(label=_("参加考核"), required=False, initial=True)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field: forms.ModelChoiceField = self.fields["group"]  # type: ignore[assignment]
        group_field.queryset = TownshipGroup.objects.filter(county=scope.county)
        group_field.to_field_name = "code"


class _PasswordPair(forms.Form):
    password1 = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput, strip=False
    )
    password2 = forms.CharField(
        label=_("确认密码"), widget=forms.PasswordInput, strip=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", PASSWORDS_DIFFER)
        return data


class _RoleBinding(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    role = forms.TypedChoiceField(label=_("角色"), choices=Role.choices, coerce=Role)
    township = forms.ModelChoiceField(
        label=_("所属乡镇"),
        queryset=Township.objects.none(),
        required=False,
        to_field_name="code",
    )
    department = forms.ModelChoiceField(
        label=_("所属部门"),
        queryset=Department.objects.none(),
        required=False,
        to_field_name="code",
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Township.objects.filter(  # type: ignore[attr-defined]
            county=scope.county
        )
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            county=scope.county
        )


class UserCreateForm(_RoleBinding, _PasswordPair):
    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("用户名只能包含字母、数字和 @/./+/-/_ 字符")},
    )
    field_order = ["username", "full_name", "role", "township", "department"]


class UserEditForm(_RoleBinding):
    is_active = forms.BooleanField(label=_("启用"), required=False)


class PasswordSetForm(_PasswordPair):
    pass
