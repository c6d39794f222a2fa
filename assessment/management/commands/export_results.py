from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assessment.management.commandline import (
    add_county_argument,
    domain_errors,
    find_county,
    write_output,
)
from assessment.result_format import dump_result_json
from assessment.services import results_document


class Command(BaseCommand):
    help = "导出一个考核周期的当前结果(assessment-result/1 JSON,字段顺序固定)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="方案编码")
        parser.add_argument("period", help="周期编码")
        add_county_argument(parser)
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="输出文件(默认标准输出)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with domain_errors():
            county = find_county(options["county"])
            document = results_document(
                county=county, plan_code=options["plan"], period_code=options["period"]
            )
        write_output(dump_result_json(document) + "\n", options["output"], self.stdout)
