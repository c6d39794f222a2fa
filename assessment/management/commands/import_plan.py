from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from assessment.management.commandline import (
    add_county_argument,
    domain_errors,
    find_county,
    read_file,
)
from indicators.files import read_document
from indicators.services import plan_publish
from townships.period_data import county_plan_import


class Command(BaseCommand):
    help = (
        "导入考核方案(assessment-plan/1 JSON 或考核细则 .xlsx)为草稿;"
        "县不存在时自动创建。有任何错误时逐条列出,不写入任何数据。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="方案文件(.json 或 .xlsx)")
        add_county_argument(parser)
        parser.add_argument("--publish", action="store_true", help="导入后立即发布")

    def handle(self, *args: Any, **options: Any) -> None:
        name, content = read_file(options["file"])
        with domain_errors(), transaction.atomic():
            county = find_county(options["county"], create=True)
            document = read_document(name, content, kind="plan")
            plan = county_plan_import(county=county, data=document)
            if options["publish"]:
                plan = plan_publish(plan=plan)
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入方案 {plan.code}“{plan.name}”第 {plan.version} 版"
                f"({plan.get_status_display()}),县:{county.code}"
            )
        )
