from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assessment.management.commandline import (
    add_county_argument,
    domain_errors,
    find_county,
    read_file,
)
from indicators.files import read_document
from townships.period_data import period_data_import


class Command(BaseCommand):
    help = (
        "导入一个考核周期的数据(assessment-data/1 JSON 或 .xlsx):新建或更新所列乡镇,"
        "保存填报数据、目标、事件、表彰和免考。有任何错误时逐条列出,不写入任何数据。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="数据文件(.json 或 .xlsx)")
        add_county_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        name, content = read_file(options["file"])
        with domain_errors():
            county = find_county(options["county"])
            document = read_document(name, content, kind="data")
            summary = period_data_import(county=county, data=document)
        self.stdout.write(self.style.SUCCESS("已导入 " + summary.describe()))
