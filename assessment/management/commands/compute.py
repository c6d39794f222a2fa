from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.management.commandline import (
    add_county_argument,
    domain_errors,
    find_county,
)
from assessment.models import Computation, ComputationStatus
from assessment.services import computation_request, computation_run

MSG_FAILED = "计算失败:\n{error}"
MSG_TIMEOUT = "等待 {seconds} 秒后计算仍未完成(状态:{status});请检查后台任务进程(worker)是否在运行"


class Command(BaseCommand):
    help = (
        "计算一个考核周期的得分、排名和等次。默认把任务交给后台任务进程;"
        "--wait 交给后台并等待完成,--sync 在本进程内直接计算(同一服务)。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="方案编码")
        parser.add_argument("period", help="周期编码")
        add_county_argument(parser)
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--wait", action="store_true", help="交给后台任务并等待完成")
        mode.add_argument("--sync", action="store_true", help="在本进程内直接计算")
        parser.add_argument(
            "--timeout", type=int, default=600, help="--wait 最长等待秒数"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with domain_errors():
            county = find_county(options["county"])
            computation = computation_request(
                county=county,
                plan_code=options["plan"],
                period_code=options["period"],
                enqueue=not options["sync"],
            )
        if options["sync"]:
            computation = computation_run(computation_uuid=str(computation.uuid))
        elif options["wait"]:
            computation = self._wait(computation, options["timeout"])
        else:
            self.stdout.write(f"已提交计算任务 {computation.uuid}")
            return
        if computation.status == ComputationStatus.FAILED:
            raise CommandError(MSG_FAILED.format(error=computation.error))
        self.stdout.write(
            self.style.SUCCESS(
                f"计算完成:{options['plan']} {options['period']}(任务 {computation.uuid})"
            )
        )

    def _wait(self, computation: Computation, timeout: int) -> Computation:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            computation.refresh_from_db()
            if computation.status in (ComputationStatus.DONE, ComputationStatus.FAILED):
                return computation
            time.sleep(0.25)
        raise CommandError(
            MSG_TIMEOUT.format(seconds=timeout, status=computation.get_status_display())
        )
