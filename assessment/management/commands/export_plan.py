from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.management.commandline import (
    add_county_argument,
    domain_errors,
    find_county,
    write_binary,
    write_output,
)
from indicators.numbers import dump_json
from indicators.plan_format import plan_to_dict
from indicators.selectors import plan_current
from indicators.storage import plan_spec

MSG_NO_PLAN = "没有编码为“{code}”的考核方案"


class Command(BaseCommand):
    help = "导出考核方案:JSON(assessment-plan/1)或考核细则 Excel(.xlsx)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="方案编码")
        add_county_argument(parser)
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="输出文件(默认标准输出)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with domain_errors():
            county = find_county(options["county"])
            plan_row = plan_current(county, options["plan"])
            if plan_row is None:
                raise CommandError(MSG_NO_PLAN.format(code=options["plan"]))
            document = plan_to_dict(plan_spec(plan_row))
        if options["format"] == "xlsx":
            from indicators.xlsx import plan_to_xlsx

            write_binary(plan_to_xlsx(document), options["output"])
        else:
            write_output(dump_json(document) + "\n", options["output"], self.stdout)
