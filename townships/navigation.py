"""The role-specific navigation, in one place. Later features add entries."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from townships.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[Role]
    # URL names that light this entry up besides its own.
    section: str = ""


ALL = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})

NAV: list[NavItem] = [
    NavItem(_("首页"), "home", ALL, "home"),
    NavItem(
        _("考核方案"),
        "plan-list",
        frozenset({Role.ADMIN, Role.LEADER, Role.DEPARTMENT}),
        "plan-",
    ),
    NavItem(_("考核结果"), "result-index", ALL, "result-"),
    NavItem(_("乡镇(街道)"), "townships:township-list", ALL, "townships:township"),
    NavItem(
        _("类别"),
        "townships:group-list",
        frozenset({Role.ADMIN, Role.LEADER}),
        "townships:group",
    ),
    NavItem(
        _("考核部门"),
        "townships:department-list",
        frozenset({Role.ADMIN, Role.LEADER}),
        "townships:department",
    ),
    NavItem(_("账号管理"), "townships:user-list", ADMIN, "townships:user"),
]


def nav_for(role: Role) -> list[NavItem]:
    return [item for item in NAV if role in item.roles]
