"""Load the demo county: the worked example's organisation and one user per role.

Idempotent: running it again updates what is there and resets the demo
passwords. Reads only files inside the project (assessment/demo_data/).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from townships.models import (
    County,
    Department,
    Membership,
    Role,
    Township,
    TownshipGroup,
)

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo_data"

# (username, full name, role, binding code, password). Printed by `make demo`.
DEMO_USERS: list[tuple[str, str, Role, str | None, str]] = [
    ("khb", "考核办 王主任", Role.ADMIN, None, "demo-khb-2026"),
    ("yjj", "应急管理局 李科长", Role.DEPARTMENT, "yjj", "demo-yjj-2026"),
    ("t01", "城关街道 张填报员", Role.TOWNSHIP, "T01", "demo-t01-2026"),
    ("t02", "东城街道 赵填报员", Role.TOWNSHIP, "T02", "demo-t02-2026"),
    ("leader", "县领导 陈县长", Role.LEADER, None, "demo-leader-2026"),
]


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))
    return data


class Command(BaseCommand):
    help = "载入演示县(示例县)的乡镇、类别、部门和各角色演示账号。"

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        plan, data = _load("plan-2026.json"), _load("data-2026Q1.json")
        county, _ = County.objects.update_or_create(
            code="demo", defaults={"name": "示例县", "office_name": "示例县考核办"}
        )
        groups = {}
        for order, g in enumerate(plan["groups"]):
            groups[g["code"]], _ = TownshipGroup.objects.update_or_create(
                county=county,
                code=g["code"],
                defaults={"name": g["name"], "order": order},
            )
        departments = {}
        for d in plan["departments"]:
            departments[d["code"]], _ = Department.objects.update_or_create(
                county=county, code=d["code"], defaults={"name": d["name"]}
            )
        townships = {}
        for order, t in enumerate(data["townships"]):
            townships[t["code"]], _ = Township.objects.update_or_create(
                county=county,
                code=t["code"],
                defaults={
                    "name": t["name"],
                    "group": groups[t["group"]],
                    "order": order,
                },
            )
        user_model = get_user_model()
        for username, full_name, role, binding, password in DEMO_USERS:
            user, _ = user_model.objects.update_or_create(
                username=username, defaults={"first_name": full_name, "is_active": True}
            )
            user.set_password(password)
            user.save()
            Membership.objects.update_or_create(
                user=user,
                defaults={
                    "county": county,
                    "role": role,
                    "township": townships.get(binding or "")
                    if role == Role.TOWNSHIP
                    else None,
                    "department": departments.get(binding or "")
                    if role == Role.DEPARTMENT
                    else None,
                },
            )
        self.stdout.write(self.style.SUCCESS("演示数据已载入:示例县,7 个乡镇(街道)。"))
        self.stdout.write("演示账号 (用户名 / 密码 / 角色):")
        for username, full_name, role, _binding, password in DEMO_USERS:
            self.stdout.write(
                f"  {username:<8} {password:<18} {role.label} · {full_name}"
            )
