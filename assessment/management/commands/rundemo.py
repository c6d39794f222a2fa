"""Run web, worker and beat together in the foreground; Ctrl-C stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assessment.management.commands.demo_setup import DEMO_USERS


class Command(BaseCommand):
    help = "同时启动网页服务、后台任务进程(worker)和定时任务(beat),Ctrl-C 全部停止。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addr", default=os.environ.get("DEMO_ADDR", "127.0.0.1:8000")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # A terminal closing or `kill` stops everything too, like Ctrl-C.
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _interrupt)
        py = sys.executable
        celery = [py, "-m", "celery", "-A", "assessment.celery"]
        commands = {
            "web": [py, "manage.py", "runserver", options["addr"], "--noreload"],
            "worker": [*celery, "worker", "-l", "info", "--concurrency", "2"],
            "beat": [*celery, "beat", "-l", "info"],
        }
        procs = {
            name: subprocess.Popen(cmd, start_new_session=True)
            for name, cmd in commands.items()
        }
        self.stdout.write(
            self.style.SUCCESS(f"\n综合考核评分系统已启动: http://{options['addr']}/")
        )
        self.stdout.write("演示账号 (用户名 / 密码):")
        for username, full_name, role, _binding, password in DEMO_USERS:
            self.stdout.write(
                f"  {username:<8} {password:<18} {role.label} · {full_name}"
            )
        self.stdout.write("按 Ctrl-C 停止全部进程。\n")
        try:
            while all(p.poll() is None for p in procs.values()):
                time.sleep(0.5)
            dead = [n for n, p in procs.items() if p.poll() is not None]
            self.stderr.write(f"进程已退出: {', '.join(dead)};正在停止其余进程。")
        except KeyboardInterrupt:
            self.stdout.write("\n正在停止…")
        finally:
            _stop(list(procs.values()))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
