"""Plan and period-data files as users hand them in: JSON or Excel (.xlsx)."""

from __future__ import annotations

from typing import Any, Literal

from indicators.errors import InvalidInput, Problem
from indicators.services import load_json_document

MSG_UNKNOWN_TYPE = "无法识别的文件类型“{name}”:请上传 .json 或 .xlsx 文件"
MSG_EMPTY = "文件“{name}”是空的"
MSG_TOO_LARGE = "文件“{name}”超过 {mb} MB,请拆分或精简后再上传"
MAX_UPLOAD = 20 * 2**20
ZIP_MAGIC = b"PK\x03\x04"

Kind = Literal["plan", "data"]


def read_upload(upload: Any, *, kind: Kind) -> dict[str, Any]:
    """An uploaded file's document (pages and API alike); size checked first."""
    name = upload.name or "upload"
    if upload.size and upload.size > MAX_UPLOAD:
        problem = Problem(
            name, "too_large", MSG_TOO_LARGE.format(name=name, mb=MAX_UPLOAD // 2**20)
        )
        raise InvalidInput([problem])
    return read_document(name, upload.read(), kind=kind)


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
