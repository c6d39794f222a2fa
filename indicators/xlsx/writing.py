"""Writing sheets people can work with: bold frozen header with notes, column
widths, wrapped long text, drop-downs; every text cell written as text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from indicators.xlsx.cells import (
    Out,
    needs_quote_prefix,
    parse_date,
    parse_integer,
    parse_number,
    parse_text,
)
from indicators.xlsx.sheets import SETTING_COLS, Col

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
_TOP = Alignment(vertical="top")
_BOLD = Font(bold=True)


def put(cell: Cell | MergedCell, value: Any) -> None:
    if value is None:
        return
    cell.value = value
    if isinstance(value, str):
        # Never a formula or an error code, whatever the text says; the quote
        # prefix keeps it text when someone edits the cell in Excel.
        cell.data_type = "s"
        if needs_quote_prefix(value):
            cell.quotePrefix = True
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"


def empty_workbook() -> Workbook:
    wb = Workbook()
    for sheet in list(wb.worksheets):  # the default "Sheet"
        wb.remove(sheet)
    return wb


def new_sheet(wb: Workbook, title: str, cols: Sequence[Col]) -> Worksheet:
    ws = wb.create_sheet(title)
    for index, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=index)
        put(cell, col.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        if col.note:
            cell.comment = Comment(col.note, "考核办", width=320, height=160)
        ws.column_dimensions[get_column_letter(index)].width = col.width
    ws.freeze_panes = "A2"
    return ws


def write_rows(
    ws: Worksheet,
    cols: Sequence[Col],
    rows: Iterable[Mapping[str, Any]],
    *,
    bold: Callable[[Mapping[str, Any]], bool] | None = None,
) -> None:
    for number, values in enumerate(rows, start=2):
        strong = bold is not None and bold(values)
        for index, col in enumerate(cols, start=1):
            cell = ws.cell(row=number, column=index)
            put(cell, values.get(col.key))
            cell.alignment = _WRAP if col.wrap else _TOP
            if strong:
                cell.font = _BOLD


def write_settings(
    wb: Workbook, title: str, rows: Iterable[tuple[str, Any, str]]
) -> Worksheet:
    ws = new_sheet(wb, title, SETTING_COLS)
    write_rows(
        ws,
        SETTING_COLS,
        ({"item": item, "value": value, "note": note} for item, value, note in rows),
    )
    return ws


def add_choices(
    ws: Worksheet, cols: Sequence[Col], key: str, labels: Sequence[str], rows: int
) -> None:
    """A drop-down on a column; a hint only, since codes typed by hand are
    accepted too."""
    index = next(i for i, col in enumerate(cols, start=1) if col.key == key)
    letter = get_column_letter(index)
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(labels) + '"',
        allow_blank=True,
        showErrorMessage=False,
    )
    choices.add(f"{letter}2:{letter}{rows + 500}")  # room for rows added by hand
    ws.add_data_validation(choices)


def cell_for(col: Col, value: Any, path: str, out: Out) -> Any:
    """The cell value of a plain column, from the parser that reads it back."""
    if col.parse in (parse_number, parse_integer):
        return out.number(value, path)
    if col.parse is parse_date:
        return out.date(value, path)
    if col.parse is parse_text:
        return out.text(value, path)
    raise AssertionError(f"column {col.header} needs its own writer")


Writer = Callable[[Any, str, Out], Any]


def write_list(
    wb: Workbook,
    title: str,
    cols: Sequence[Col],
    items: Any,
    path: str,
    out: Out,
    writers: Mapping[str, Writer] | None = None,
) -> Worksheet:
    """A list of flat dicts as a sheet, one row each; keys without a column
    are refused rather than dropped."""
    ws = new_sheet(wb, title, cols)
    if not isinstance(items, list | tuple):
        out.bad(path, "not_a_list", "应为列表")
        items = ()
    keys = {col.key for col in cols}
    rows = []
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if not isinstance(item, Mapping):
            out.bad(where, "not_an_object", "应为 JSON 对象")
            continue
        for key in item:
            if key not in keys:
                out.bad(f"{where}.{key}", "unsupported_field", "表格中没有对应的列")
        row = {}
        for col in cols:
            value = item.get(col.key)
            if value is None:
                continue
            writer = (writers or {}).get(col.key)
            at = f"{where}.{col.key}"
            row[col.key] = (
                writer(value, at, out) if writer else cell_for(col, value, at, out)
            )
        rows.append(row)
    write_rows(ws, cols, rows)
    return ws
