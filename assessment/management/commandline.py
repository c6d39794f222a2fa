"""What the pipeline commands share: finding the county, reading files, errors."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import CommandError, CommandParser

from indicators.errors import DomainError, InvalidInput
from townships.models import County

T = TypeVar("T")
DEFAULT_COUNTY = ("default", "本县")
MSG_MANY_COUNTIES = "系统中有多个县:{codes};请用 --county 指定"
MSG_NO_COUNTY = "没有编码为“{code}”的县"
MSG_NO_COUNTIES = "系统中还没有任何县,请先导入考核方案(import_plan)"
MSG_NO_FILE = "找不到文件 {path}"


def add_county_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--county",
        metavar="CODE",
        help="县(市、区)编码;系统只有一个县时可省略",
    )


def find_county(code: str | None, *, create: bool = False) -> County:
    if code:
        if create:
            county, _ = County.objects.get_or_create(code=code, defaults={"name": code})
            return county
        county_or_none = County.objects.filter(code=code).first()
        if county_or_none is None:
            raise CommandError(MSG_NO_COUNTY.format(code=code))
        return county_or_none
    counties = list(County.objects.all()[:11])
    if len(counties) == 1:
        return counties[0]
    if not counties:
        if create:
            return County.objects.create(code=DEFAULT_COUNTY[0], name=DEFAULT_COUNTY[1])
        raise CommandError(MSG_NO_COUNTIES)
    raise CommandError(
        MSG_MANY_COUNTIES.format(codes="、".join(c.code for c in counties))
    )


def read_file(path: str) -> tuple[str, bytes]:
    file = Path(path)
    if not file.is_file():
        raise CommandError(MSG_NO_FILE.format(path=path))
    return file.name, file.read_bytes()


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn our errors into a clear message and a non-zero exit."""
    try:
        yield
    except InvalidInput as exc:
        lines = [exc.message] + [
            f"  {p.path or '(文件)'}: {p.message}  [{p.code}]" for p in exc.problems
        ]
        raise CommandError("\n".join(lines)) from exc
    except DomainError as exc:
        raise CommandError(exc.message) from exc


def write_output(text: str, path: str | None, stdout: Any) -> None:
    if path in (None, "-"):
        stdout.write(text)
        return
    Path(path).write_text(text, encoding="utf-8")


def write_binary(data: bytes, path: str | None) -> None:
    if path in (None, "-"):
        sys.stdout.buffer.write(data)
        return
    Path(path).write_bytes(data)


def call(fn: Callable[..., T], **kwargs: Any) -> T:
    with domain_errors():
        return fn(**kwargs)
