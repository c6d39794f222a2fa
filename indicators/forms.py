"""The indicator editor's form: one field set per method type.

Each parameter is declared once (`PARAMS`): its document key, label, kind and
help. Values stay text until the engine reads them, so numbers keep exactly
what was typed and every rule is checked by the same validation as an import
(`indicators.services.indicator_save`); its problems come back beside the
field they concern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.methods import METHODS
from indicators.models import IndicatorRole, NAPolicy
from indicators.storage import from_column

METHOD_LABELS = {
    "ratio": _("比例法(完成值÷目标值)"),
    "tiers": _("分档计分"),
    "benchmark": _("标杆法(以最好者为满分)"),
    "rank": _("排名计分"),
    "deduct": _("扣分制(按事件扣分)"),
    "grade": _("等级评定(A/B/C/D)"),
    "checklist": _("清单计分(逐项得分)"),
    "manual": _("直接评分"),
    "formula": _("公式计分"),
    "awards": _("表彰加分"),
    "events": _("事件扣分/否决"),
}
DIRECTIONS = [
    ("", _("默认(越高越好)")),
    ("higher", _("越高越好")),
    ("lower", _("越低越好")),
]
SCOPES = [("", _("默认")), ("group", _("同类别内比较")), ("all", _("全县比较"))]
TIERS_ON = [
    ("", _("按完成值")),
    ("value", _("按完成值")),
    ("ratio", _("按完成率(完成值÷目标值)")),
]


@dataclass(frozen=True)
class Param:
    key: str  # document key; "excess.step" for a nested one
    label: Any
    kind: str  # number, integer, choice, bool, text, map, numbers, tiers, items
    help: Any = ""
    choices: tuple[tuple[str, Any], ...] = ()

    @property
    def field_name(self) -> str:
        return "p_" + self.key.replace(".", "__")


_MAX = Param("max", _("最高分(加分/扣分项必填)"), "number")
_PER = Param("per", _("每起扣分"), "number", _("所有类型同一扣分时填写"))
_PER_TYPE = Param(
    "per_type", _("按类型扣分"), "map", _("每行一种:类型 = 分值,如 general = 2")
)
_WINDOW = Param(
    "repeat.window_days", _("再次发生加重:影响期(天)"), "integer", _("不加重则留空")
)
_MULTIPLIERS = Param(
    "repeat.multipliers", _("再次发生加重:倍数"), "numbers", _("如 1, 2, 3")
)
_SCOPE = Param("scope", _("比较范围"), "choice", choices=tuple(SCOPES))
_DIRECTION = Param("direction", _("方向"), "choice", choices=tuple(DIRECTIONS))

PARAMS: dict[str, tuple[Param, ...]] = {
    "ratio": (
        Param(
            "cap", _("得分封顶倍数"), "number", _("默认 1:完成率超过 100% 不多得基本分")
        ),
        Param("floor", _("完成率下限"), "number", _("低于此完成率不得分,如 0.5")),
        _DIRECTION,
        Param("excess.step", _("超额加分:每超"), "number", _("如 0.1 表示每超 10%")),
        Param("excess.points", _("超额加分:加分"), "number"),
        Param("excess.max", _("超额加分:最多加"), "number"),
    ),
    "tiers": (
        Param("on", _("分档依据"), "choice", choices=tuple(TIERS_ON)),
        _DIRECTION,
        Param(
            "tiers",
            _("档次"),
            "tiers",
            _("每行一档:门槛 : 得分;按分值比例写 ×0.8。如 1 : ×1 换行 0.9 : ×0.8"),
        ),
        Param(
            "else", _("未达任何档次得分"), "number", _("默认 0;基本项可为负数(倒扣)")
        ),
        _MAX,
    ),
    "benchmark": (_SCOPE, _DIRECTION),
    "rank": (
        _SCOPE,
        _DIRECTION,
        Param("step", _("每后退一名减"), "number"),
        Param("min", _("最低得分"), "number"),
        Param(
            "scores",
            _("按名次得分"),
            "numbers",
            _("与“每后退一名减”二选一,如 10, 9, 8"),
        ),
    ),
    "deduct": (_PER, _PER_TYPE, _WINDOW, _MULTIPLIERS),
    "grade": (
        Param("grades", _("等级得分比例"), "map", _("每行一级:等级 = 比例,如 A = 1")),
    ),
    "checklist": (
        Param("items", _("清单项"), "items", _("每行一项:编号 = 分值,如 plan = 2")),
    ),
    "manual": (_MAX,),
    "formula": (
        Param(
            "expr",
            _("公式"),
            "text",
            _(
                "可用 v t P r vmax vmin vmean n,及 min max clamp floor ceil abs round if"
            ),
        ),
        Param("lo", _("最低分"), "number"),
        Param("hi", _("最高分"), "number"),
        _SCOPE,
        _MAX,
    ),
    "awards": (
        Param(
            "levels",
            _("表彰级别分值"),
            "map",
            _("每行一级:级别 = 分值,如 national = 3"),
        ),
        _MAX,
        Param("highest_only", _("同一事项只按最高级别计分"), "bool"),
    ),
    "events": (_PER, _PER_TYPE, _WINDOW, _MULTIPLIERS, _MAX),
}

MSG_LINE = "第 {n} 行“{line}”格式不对:{hint}"
_MAP_LINE = re.compile(r"^\s*([^=:\s]+)\s*[=:]\s*(\S+)\s*$")
_TIER_LINE = re.compile(r"^\s*(\S+)\s*[:：]\s*(×|x|\*)?\s*(\S+)\s*$")


def params_for(method: str, role: str | None) -> tuple[Param, ...]:
    """The parameters a method takes for a role (veto events take none)."""
    allowed = (
        METHODS[method].allowed_keys(role or "basic") if method in METHODS else set()
    )
    return tuple(p for p in PARAMS.get(method, ()) if p.key.split(".")[0] in allowed)


# --- document values ⇄ form text ------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def param_initial(param: Param, params: dict[str, Any]) -> Any:
    """A stored parameter as the form shows it."""
    head, _, tail = param.key.partition(".")
    value = params.get(head)
    if tail:
        value = value.get(tail) if isinstance(value, dict) else None
    if value is None:
        return None
    if param.kind == "map":
        return "\n".join(f"{k} = {v}" for k, v in value.items())
    if param.kind == "numbers":
        return ", ".join(_text(v) for v in value)
    if param.kind == "items":
        return "\n".join(f"{item['id']} = {item['points']}" for item in value)
    if param.kind == "tiers":
        lines = []
        for tier in value:
            bound = tier.get("min", tier.get("max"))
            score = (
                f"×{tier['fraction']}"
                if "fraction" in tier
                else _text(tier.get("score"))
            )
            lines.append(f"{bound} : {score}")
        return "\n".join(lines)
    return value


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def parse_param(param: Param, raw: Any, *, direction: str) -> Any:
    """Form text to a document value (raises forms.ValidationError on syntax)."""
    if param.kind == "bool":
        return True if raw else None
    if raw in (None, ""):
        return None
    if param.kind in ("number", "integer", "text", "choice"):
        return raw
    if param.kind == "numbers":
        return [part for part in re.split(r"[,，、\s]+", raw.strip()) if part]
    out: list[Any] = []
    for n, line in _lines(raw):
        pattern = _TIER_LINE if param.kind == "tiers" else _MAP_LINE
        match = pattern.match(line)
        if match is None:
            hint = (
                _("应为“门槛 : 得分”或“门槛 : ×比例”")
                if param.kind == "tiers"
                else _("应为“名称 = 数值”")
            )
            raise forms.ValidationError(MSG_LINE.format(n=n, line=line, hint=hint))
        out.append(match.groups())
    if param.kind == "map":
        return dict(out)
    if param.kind == "items":
        return [{"id": key, "points": value} for key, value in out]
    bound = "max" if direction == "lower" else "min"
    return [
        {bound: threshold, ("fraction" if times else "score"): value}
        for threshold, times, value in out
    ]


def build_params(
    method: str, role: str | None, data: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The method's parameters from cleaned form data, and syntax errors by field."""
    params: dict[str, Any] = {}
    errors: dict[str, str] = {}
    direction = data.get("p_direction") or "higher"
    for param in params_for(method, role):
        try:
            value = parse_param(param, data.get(param.field_name), direction=direction)
        except forms.ValidationError as exc:
            errors[param.field_name] = exc.messages[0]
            continue
        if value is None:
            continue
        head, _, tail = param.key.partition(".")
        if tail:
            params.setdefault(head, {})[tail] = value
        else:
            params[head] = value
    return params, errors


def field_for_path(path: str, node_path: str) -> str | None:
    """The form field a problem at `path` belongs to (None: above the form)."""
    rest = path[len(node_path) :].lstrip(".")
    if rest.startswith("method."):
        key = rest[len("method.") :]
        head = re.split(r"[.\[]", key, maxsplit=1)[0]
        if head in ("excess", "repeat"):
            sub = re.split(r"[.\[]", key)[1] if "." in key else ""
            return f"p_{head}__{sub}" if sub else None
        return f"p_{head}"
    if rest in ("method", "method.type"):
        return "method_type"
    head = re.split(r"[.\[]", rest, maxsplit=1)[0]
    return head or None


# --- the form -----------------------------------------------------------------------


class IndicatorForm(forms.Form):
    code = forms.CharField(label=_("指标编码"), max_length=64)
    name = forms.CharField(label=_("指标名称"), max_length=200)
    points = forms.CharField(label=_("分值"), required=False, max_length=40)

    def __init__(
        self,
        *args: Any,
        is_category: bool,
        role: str | None,
        method: str | None,
        groups: list[dict[str, str]],
        departments: list[dict[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.is_category = is_category
        if is_category:
            self.fields["scaled"] = forms.BooleanField(
                label=_("按比例折算(加权部分)"), required=False
            )
            return
        roles = [(r.value, r.label) for r in IndicatorRole]
        self.fields["role"] = forms.ChoiceField(label=_("类型"), choices=roles)
        self.fields["method_type"] = forms.ChoiceField(
            label=_("计分方法"), choices=list(METHOD_LABELS.items())
        )
        for param in params_for(method or "", role):
            self.fields[param.field_name] = _param_field(param)
        self.fields["target"] = forms.CharField(label=_("目标值"), required=False)
        self.fields["unit"] = forms.CharField(
            label=_("单位"), required=False, max_length=32
        )
        self.fields["department"] = forms.ChoiceField(
            label=_("牵头部门"),
            required=False,
            choices=[("", "—")] + [(d["code"], d["name"]) for d in departments],
        )
        self.fields["groups"] = forms.MultipleChoiceField(
            label=_("适用类别"),
            required=False,
            choices=[(g["code"], g["name"]) for g in groups],
            widget=forms.CheckboxSelectMultiple,
            help_text=_("都不选表示适用于所有乡镇(街道)"),
        )
        self.fields["criteria"] = forms.CharField(
            label=_("评分标准"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["evidence"] = forms.CharField(
            label=_("佐证材料"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("每行一种:名称 × 份数,如 会议记录 × 3"),
        )
        self.fields["na_policy"] = forms.ChoiceField(
            label=_("无此项时"),
            required=False,
            choices=[("", _("按方案默认")), *list(NAPolicy.choices)],
        )
        self.fields["na_score"] = forms.CharField(
            label=_("无此项得分(按固定分计时)"), required=False
        )
        self.param_fields = [p.field_name for p in params_for(method or "", role)]

    def clean_evidence(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for n, line in _lines(self.cleaned_data.get("evidence") or ""):
            match = re.match(r"^(.*?)\s*[×xX*]\s*(\d+)\s*$", line.strip())
            name, count = (
                (match.group(1), match.group(2)) if match else (line.strip(), None)
            )
            if not name:
                raise forms.ValidationError(
                    MSG_LINE.format(n=n, line=line, hint=_("应为“名称 × 份数”"))
                )
            out.append({"name": name, "min": int(count)} if count else {"name": name})
        return out

    def document_fields(self, method: str | None) -> dict[str, Any]:
        """The node as in the plan document (children excluded)."""
        data = self.cleaned_data
        fields: dict[str, Any] = {
            "code": data["code"].strip(),
            "name": data["name"].strip(),
            "points": data.get("points") or None,
        }
        if self.is_category:
            fields["scaled"] = bool(data.get("scaled")) or None
            return fields
        params, errors = build_params(method or "", data.get("role"), data)
        for name, message in errors.items():
            self.add_error(name, message)
        fields.update(
            {
                "role": data.get("role"),
                "department": data.get("department") or None,
                "groups": data.get("groups") or None,
                "target": data.get("target") or None,
                "unit": data.get("unit") or None,
                "evidence": data.get("evidence") or None,
                "criteria": data.get("criteria") or None,
                "na_policy": data.get("na_policy") or None,
                "na_score": data.get("na_score") or None,
                "method": {"type": method, **params},
            }
        )
        return fields


def _param_field(param: Param) -> forms.Field:
    common: dict[str, Any] = {
        "label": param.label,
        "required": False,
        "help_text": param.help,
    }
    if param.kind == "bool":
        return forms.BooleanField(**common)
    if param.kind == "choice":
        return forms.ChoiceField(choices=list(param.choices), **common)
    if param.kind in ("map", "items", "tiers"):
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    return forms.CharField(max_length=2000, **common)


def initial_for(node: Any) -> dict[str, Any]:
    """Form initial data from an Indicator row."""
    initial: dict[str, Any] = {
        "code": node.code,
        "name": node.name,
        "points": _text(from_column(node.points)),
    }
    if node.is_category:
        initial["scaled"] = node.scaled
        return initial
    initial.update(
        {
            "role": node.role,
            "method_type": node.method_type,
            "target": _text(from_column(node.target)),
            "unit": node.unit,
            "department": node.department,
            "groups": node.groups or [],
            "criteria": node.criteria,
            "evidence": "\n".join(
                f"{e['name']} × {e['min']}" if "min" in e else e["name"]
                for e in node.evidence
            ),
            "na_policy": node.na_policy,
            "na_score": _text(from_column(node.na_score)),
        }
    )
    for param in params_for(node.method_type, node.role):
        initial[param.field_name] = param_initial(param, node.params)
    return initial
