from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def get_item(mapping: Mapping[str, Any] | None, key: str) -> Any:
    """`{{ names|get_item:code }}`: a dict lookup with a variable key."""
    if not mapping:
        return None
    return mapping.get(key)


# The names an explanation uses (indicators.methods), as users read them.
WHY_LABELS = {
    "v": _("完成值"),
    "t": _("目标值"),
    "r": _("完成率"),
    "P": _("分值"),
    "max": _("上限"),
    "min": _("最低分"),
    "lo": _("下限"),
    "hi": _("上限"),
    "items": _("清单项"),
    "excess": _("超额加分"),
    "events": _("事件"),
    "awards": _("表彰"),
    "base": _("基本得分"),
    "tiers": _("档次"),
    "tier": _("所在档次"),
    "on": _("分档依据"),
    "else": _("未达档得分"),
    "step": _("每名次减分"),
    "points": _("分值"),
    "score": _("得分"),
    "scores": _("名次得分"),
    "rank": _("名次"),
    "scope": _("比较范围"),
    "best": _("标杆值"),
    "direction": _("方向"),
    "cap": _("封顶倍数"),
    "floor": _("完成率下限"),
    "below_floor": _("低于下限"),
    "per": _("每起扣分"),
    "deducted": _("扣分合计"),
    "repeat": _("再次发生加重"),
    "window_days": _("影响期(天)"),
    "multipliers": _("倍数"),
    "grade": _("等级"),
    "raw": _("原始得分"),
    "no_record": _("未填报"),
    "vmax": _("最高值"),
    "vmin": _("最低值"),
    "vmean": _("平均值"),
    "n": _("比较个数"),
}


@register.filter
def why_label(name: str) -> Any:
    return WHY_LABELS.get(name, name)
