"""Plan and period-data files as users hand them in: JSON or Excel (.xlsx)."""

from __future__ import annotations

from typing import Any, Literal

from indicators.errors import InvalidInput, Problem
from indicators.services import load_json_document

MSG_UNKNOWN_TYPE = "无法识别的文件类型“{name}”:请上传 .json 或 .xlsx 文件"
MSG_EMPTY = "文件“{name}”是空的"
ZIP_MAGIC = b"PK\x03\x04"

Kind = Literal["plan", "data"]


def read_document(name: str, content: bytes, *, kind: Kind) -> dict[str, Any]:
    """The document inside a .json or .xlsx file (InvalidInput when unreadable)."""
    from indicators.xlsx import period_data_from_xlsx, plan_from_xlsx

    lowered = name.lower()
    if not content:
        raise InvalidInput([Problem(name, "empty_file", MSG_EMPTY.format(name=name))])
    if lowered.endswith(".xlsx") or content.startswith(ZIP_MAGIC):
        return (
            plan_from_xlsx(content)
            if kind == "plan"
            else period_data_from_xlsx(content)
        )
    if lowered.endswith(".json") or content.lstrip()[:1] in (b"{", b"["):
        return load_json_document(content)
    raise InvalidInput(
        [Problem(name, "unknown_type", MSG_UNKNOWN_TYPE.format(name=name))]
    )
