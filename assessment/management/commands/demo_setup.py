"""Load the demo county: the worked example's organisation and one user per role.

Idempotent: running it again updates what is there and resets the demo
passwords. Reads only files inside the project (assessment/demo_data/).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from assessment.services import computation_request, computation_run
from indicators.selectors import plan_current
from indicators.services import load_json_document, plan_publish
from townships.models import County, Department, Membership, Role, Township
from townships.period_data import county_plan_import, period_data_import

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
    return load_json_document((DEMO_DIR / name).read_bytes())


class Command(BaseCommand):
    help = "载入演示县(示例县)的乡镇、类别、部门和各角色演示账号。"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            county = self._county_with_example()
            self._users(county)
        computation = computation_request(
            county=county, plan_code="2026-xz", period_code="2026Q1", enqueue=False
        )
        computation_run(computation_uuid=str(computation.uuid))
        self.stdout.write(
            self.style.SUCCESS(
                "演示数据已载入:示例县,7 个乡镇(街道),2026年第一季度已计算。"
            )
        )
        self.stdout.write("演示账号 (用户名 / 密码 / 角色):")
        for username, full_name, role, _binding, password in DEMO_USERS:
            self.stdout.write(
                f"  {username:<8} {password:<18} {role.label} · {full_name}"
            )

    def _county_with_example(self) -> County:
        county, _ = County.objects.update_or_create(
            code="demo", defaults={"name": "示例县", "office_name": "示例县考核办"}
        )
        plan = plan_current(county, "2026-xz")
        if plan is None or plan.is_draft:
            plan = county_plan_import(county=county, data=_load("plan-2026.json"))
            plan = plan_publish(plan=plan)
        period_data_import(county=county, data=_load("data-2026Q1.json"))
        return county

    def _users(self, county: County) -> None:
        townships = {t.code: t for t in Township.objects.filter(county=county)}
        departments = {d.code: d for d in Department.objects.filter(county=county)}
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
