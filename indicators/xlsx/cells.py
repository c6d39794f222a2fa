"""One cell's value, both ways: what openpyxl read -> a JSON-shaped value, and back.

Reading raises `CellError` with the "what is wrong" half of a message; the sheet
reader adds "<sheet> 第N行 “列”列:" in front and the cell's path. Writing goes
through `Out`, which collects the problems of a dict that cannot be written
without losing something, so export fails loudly rather than silently.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from indicators.errors import ProblemList

# Excel refuses longer cell text; openpyxl would silently truncate it.
MAX_TEXT = 32767
# Long enough for any real figure, short enough that int() never meets
# Python's 4300-digit limit on untrusted text.
MAX_NUMBER_CHARS = 100
# Excel keeps 15 significant digits; finer numbers go out as text (which the
# importer accepts as numbers) so saving in Excel cannot round them.
EXCEL_DIGITS = 15

# ASCII digits only: \d would accept full-width ９５, which the spec refuses.
NUMBER_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")  # as the engine reads text
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FRACTION_RE = re.compile(r"[0-9]+/[0-9]+")
# Characters XML 1.0 cannot hold: openpyxl writes some of them and then
# cannot read its own file back.
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FULL_WIDTH_RE = re.compile("[\uff10-\uff19\uff0e\uff0d\uff0b]")
# Excel would read these as a formula, a number or a date when someone edits
# the cell, so they get the quote prefix (the leading ' shown in the formula bar).
_QUOTE_RE = re.compile(
    r"[=+\-@]|[0-9.]+(?:[eE][+-]?[0-9]+)?%?$|[0-9]{1,4}[-/][0-9]{1,2}(?:[-/]|$)"
    r"|(?i:true|false)$"
)


class CellError(Exception):
    """A cell that cannot be read; `message` says what is wrong, in Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(number: int | Decimal) -> str:
    """Digits as a person writes them: never an exponent."""
    return str(number) if isinstance(number, int) else format(number, "f")


# -- reading ---------------------------------------------------------------


def read_raw(cell: Cell | MergedCell) -> Any:
    """The cell's value with formulas and errors refused and text trimmed;
    None for a blank cell."""
    if isinstance(cell, MergedCell):
        return None
    value = cell.value
    if isinstance(value, ArrayFormula | DataTableFormula) or cell.data_type == "f":
        shown = value.text if isinstance(value, ArrayFormula) else str(value or "")
        raise CellError(
            "formula",
            f"是公式“{clip(shown or '=')}”,请改为直接填写内容"
            "(可复制后用“选择性粘贴—数值”)",
        )
    if cell.data_type == "e":
        raise CellError("error_value", f"是错误值“{clip(str(value))}”")
    if isinstance(value, str):
        return value.strip() or None
    return value


def number_from_text(text: str) -> int | Decimal:
    text = text.strip()
    if len(text) <= MAX_NUMBER_CHARS and NUMBER_RE.fullmatch(text):
        return Decimal(text) if "." in text else int(text)
    raise CellError("not_a_number", f"“{clip(text)}”不是数字{_number_hint(text)}")


def _number_hint(text: str) -> str:
    if _FULL_WIDTH_RE.search(text):
        return "(请使用半角数字,如 95)"
    if "%" in text:
        return "(请填写小数,如 30% 写作 0.3)"
    if re.search(r"[0-9][,，][0-9]", text):
        return "(不要使用千位分隔符,如 1286)"
    if re.search(r"[0-9]", text):
        return "(只填写数字,不要带单位或文字)"
    return ""


def number_from_float(value: float) -> int | Decimal:
    """What Excel displays for a double: 15 significant digits, so 0.1 stays
    0.1 rather than 0.1000000000000000055511151231257827."""
    if not math.isfinite(value):
        raise CellError("not_a_number", "不是有效的数字")
    number = Decimal(format(value, ".15g"))
    return int(number) if number == number.to_integral_value() else number


def parse_number(raw: Any) -> int | Decimal:
    if isinstance(raw, bool):
        raise CellError("not_a_number", f"“{'TRUE' if raw else 'FALSE'}”不是数字")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return number_from_float(raw)
    if isinstance(raw, str):
        return number_from_text(raw)
    raise CellError("not_a_number", f"“{clip(str(raw))}”是日期或时间,不是数字")


def parse_integer(raw: Any) -> int:
    number = parse_number(raw)
    if isinstance(number, Decimal):
        if number != number.to_integral_value():
            raise CellError("not_an_integer", f"“{plain(number)}”不是整数")
        return int(number)
    return number


def parse_text(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):  # Excel turns a typed TRUE into a boolean
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int | float):  # codes such as 2026 typed as numbers
        return plain(parse_number(raw))
    raise CellError(
        "not_text",
        f"“{clip(str(raw))}”被 Excel 当成了日期或时间,请先把单元格格式设为“文本”再填写",
    )


def parse_date(raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0):
            raise CellError(
                "date_has_time",
                f"“{raw:%Y-%m-%d %H:%M}”带有时间,只填写日期,如 2026-02-03",
            )
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise CellError(
            "date_serial",
            f"“{plain(parse_number(raw))}”是数字,不是日期;请写成 2026-02-03 这样的日期",
        )
    if isinstance(raw, str) and DATE_RE.fullmatch(raw):
        try:
            dt.date.fromisoformat(raw)
        except ValueError:
            raise CellError("not_a_date", f"“{raw}”不是有效的日期") from None
        return raw
    raise CellError(
        "not_a_date", f"“{clip(str(raw))}”不是日期,请写成 2026-02-03 这样的日期"
    )


def parse_yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = parse_text(raw)
    if text in ("是", "否"):
        return text == "是"
    raise CellError("unknown_value", f"“{clip(text)}”应填“是”或“否”")


def parse_choice(raw: Any, labels: dict[str, str], what: str) -> str:
    """A code written as its Chinese label or as the code itself."""
    text = parse_text(raw)
    if text in labels:
        return text
    for code, label in labels.items():
        if text == label or text.lower() == code:
            return code
    raise CellError(
        "unknown_value",
        f"“{clip(text)}”不是可选的{what},可填:{'、'.join(labels.values())}",
    )


def parse_weight(text: str) -> int | Decimal | str:
    """A composition weight: a decimal, or an exact fraction kept as "1/3"."""
    if FRACTION_RE.fullmatch(text):
        return text
    return number_from_text(text)


# -- writing ---------------------------------------------------------------


def needs_quote_prefix(text: str) -> bool:
    return bool(_QUOTE_RE.match(text))


def cell_number(number: int | Decimal) -> int | Decimal | str:
    """A number as it should go into a cell: a numeric cell when Excel can hold
    it exactly, else its digits as text."""
    if isinstance(number, int):
        return number if abs(number) < 10**EXCEL_DIGITS else str(number)
    digits = len(number.normalize().as_tuple().digits)
    if digits <= EXCEL_DIGITS and -300 < number.adjusted() < 300:
        return int(number) if number == number.to_integral_value() else number
    return plain(number)


def as_number(value: Any) -> Any:
    """The int or Decimal a JSON-shaped number stands for (floats through their
    shortest repr, numeric strings as written); anything else unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else value
    if isinstance(value, str):
        try:
            return number_from_text(value)
        except CellError:
            return value
    return value


def normalise_text(text: str) -> str:
    # XML turns CR and CRLF into LF on reading; do it up front so export and
    # import agree.
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Out:
    """Turns dict values into cell values, collecting what cannot be written."""

    def __init__(self) -> None:
        self.problems = ProblemList()

    def bad(self, path: str, code: str, what: str) -> None:
        self.problems.add(path, code, f"{path}:{what}")

    def text(self, value: Any, path: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.bad(path, "not_text", f"应为文字,实为 {clip(repr(value))}")
            return None
        text = normalise_text(value)
        bad = XML_ILLEGAL_RE.search(text)
        if bad:
            self.bad(
                path,
                "illegal_character",
                f"含有无法写入 Excel 的字符 U+{ord(bad.group()):04X}",
            )
            return None
        if len(text) > MAX_TEXT:
            self.bad(path, "text_too_long", f"文字超过 Excel 单元格上限 {MAX_TEXT} 字")
            return None
        return text

    def number(self, value: Any, path: str) -> int | Decimal | str | None:
        if value is None:
            return None
        number = as_number(value)
        if (
            isinstance(number, bool)
            or not isinstance(number, int | Decimal)
            or (isinstance(number, Decimal) and not number.is_finite())
        ):
            self.bad(path, "not_a_number", f"应为数字,实为 {clip(repr(value))}")
            return None
        if len(plain(number)) > MAX_NUMBER_CHARS:
            self.bad(path, "number_too_long", "数字位数过多,无法写入表格")
            return None
        return cell_number(number)

    def date(self, value: Any, path: str) -> dt.date | str | None:
        text = self.text(value, path)
        if text is not None and DATE_RE.fullmatch(text):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                return text
            # Excel's serial dates start in 1900 (and 1900-02-29 is a bug of
            # theirs); earlier dates stay text.
            if day >= dt.date(1900, 3, 1):
                return day
        return text

    def choice(self, value: Any, labels: dict[str, str], path: str) -> str | None:
        text = self.text(value, path)
        return labels.get(text, text) if text is not None else None

    def free_of(self, text: str | None, chars: str, path: str, what: str) -> None:
        """Refuse text holding a separator of the cell syntax it goes into."""
        if text is not None and any(ch in text for ch in chars):
            self.bad(path, "separator_in_text", f"“{clip(text)}”含有{what}")
