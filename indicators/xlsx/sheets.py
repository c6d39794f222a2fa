"""Tables on worksheets: a header row naming the columns, one record a row.

Reading matches columns by header (any order), refuses merged cells, formulas,
unknown and duplicate columns, checks every cell against its column's parser and
reports each problem at its cell. Writing is in `writing`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from indicators.errors import InvalidInput, Problem, ProblemList
from indicators.xlsx.cells import CellError, clip, parse_text, read_raw
from indicators.xlsx.safety import MAX_CELLS, MAX_COLUMNS

Parser = Callable[[Any], Any]


def _identity(raw: Any) -> Any:
    return raw


@dataclass(frozen=True, slots=True)
class Col:
    """A column: its header, the dict key it fills and how its cells read.

    required: the column must be present and every non-blank row must fill it.
    """

    header: str
    key: str
    parse: Parser = parse_text
    required: bool = False
    width: float = 12
    wrap: bool = False
    note: str = ""


@dataclass(slots=True)
class Row:
    number: int
    values: dict[str, Any]
    failed: set[str] = field(default_factory=set)  # keys whose cell was refused


@dataclass(slots=True)
class Table:
    sheet: str
    headers: dict[str, str]  # key -> header, for every column of the layout
    letters: dict[str, str] = field(default_factory=dict)  # key -> column present
    rows: list[Row] = field(default_factory=list)

    def path(self, row: int, key: str | None = None) -> str:
        letter = self.letters.get(key or "", "")
        return f"{self.sheet}!{letter}{row}"

    def where(self, row: int, key: str | None = None) -> str:
        if key is None:
            return f"{self.sheet} 第{row}行"
        return f"{self.sheet} 第{row}行 “{self.headers[key]}”列"

    def add(
        self, problems: ProblemList, row: int, key: str | None, code: str, what: str
    ) -> None:
        problems.add(self.path(row, key), code, f"{self.where(row, key)}:{what}")


def refuse_merged(ws: Worksheet, problems: ProblemList) -> None:
    for merged in ws.merged_cells.ranges:
        problems.add(
            f"{ws.title}!{merged.coord}",
            "merged_cells",
            f"{ws.title} {merged.coord} 是合并单元格,请取消合并,并在每一行填写完整",
        )


def _within_bounds(ws: Worksheet, problems: ProblemList) -> bool:
    # Iterating fills in every cell of the used rectangle, so bound it first;
    # stray formatting far to the right or below is the usual cause.
    rows, cols = ws.max_row, ws.max_column
    if cols <= MAX_COLUMNS and rows * cols <= MAX_CELLS:
        return True
    corner = f"{get_column_letter(cols)}{rows}"
    problems.add(
        ws.title,
        "sheet_too_large",
        f"工作表“{ws.title}”的使用范围 A1:{corner} 过大,"
        "请删除表格右侧和下方多余的行、列后再导入",
    )
    return False


def read_table(ws: Worksheet, cols: Sequence[Col], problems: ProblemList) -> Table:
    table = Table(sheet=ws.title, headers={c.key: c.header for c in cols})
    refuse_merged(ws, problems)
    if not _within_bounds(ws, problems):
        return table
    rows = ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)
    slots, unnamed = _read_header(table, next(rows, ()), cols, problems)
    for col in cols:
        if col.required and col.key not in table.letters:
            problems.add(
                f"{ws.title}!1", "missing_column", f"{ws.title} 缺少“{col.header}”列"
            )
    reported: set[int] = set()  # header-less columns already reported
    for number, cells in enumerate(rows, start=2):
        row = Row(number, {})
        filled = False
        for index, cell in enumerate(cells, start=1):
            slot = slots.get(index)
            if slot is None:
                if index in unnamed and index not in reported and _has_value(cell):
                    reported.add(index)
                    problems.add(
                        f"{ws.title}!{cell.coordinate}",
                        "unknown_column",
                        f"{ws.title} 第{number}行:第 {get_column_letter(index)} "
                        "列有内容但没有列名,请删除或补上列名",
                    )
                continue
            try:
                raw = read_raw(cell)
                if raw is None:
                    continue
                filled = True
                row.values[slot.key] = slot.parse(raw)
            except CellError as exc:
                filled = True
                row.failed.add(slot.key)
                table.add(problems, number, slot.key, exc.code, exc.message)
        if filled:  # blank rows are skipped silently
            _require(table, row, cols, problems)
            table.rows.append(row)
    return table


def _require(
    table: Table, row: Row, cols: Sequence[Col], problems: ProblemList
) -> None:
    for col in cols:
        given = col.key in row.values or col.key in row.failed
        # A missing column was reported once, not on every row.
        if col.required and col.key in table.letters and not given:
            table.add(problems, row.number, col.key, "required", "未填写")


def _has_value(cell: Cell | MergedCell) -> bool:
    try:
        return read_raw(cell) is not None
    except CellError:
        return True


def _read_header(
    table: Table,
    header: Sequence[Cell | MergedCell],
    cols: Sequence[Col],
    problems: ProblemList,
) -> tuple[dict[int, Col], set[int]]:
    by_header = {c.header: c for c in cols}
    slots: dict[int, Col] = {}
    unnamed: set[int] = set()
    for index, cell in enumerate(header, start=1):
        path = f"{table.sheet}!{cell.coordinate}"
        try:
            raw = read_raw(cell)
            text = None if raw is None else parse_text(raw)
        except CellError as exc:
            problems.add(path, exc.code, f"{table.sheet} 第1行(列名):{exc.message}")
            continue
        if text is None:
            unnamed.add(index)
            continue
        col = by_header.get(text)
        if col is None:
            known = "、".join(c.header for c in cols)
            problems.add(
                path,
                "unknown_column",
                f"{table.sheet} 第1行:“{clip(text)}”不是本表的列名(可用的列:{known})",
            )
        elif col.key in table.letters:
            problems.add(
                path, "duplicate_column", f"{table.sheet} 第1行:“{text}”列重复"
            )
        else:
            slots[index] = col
            table.letters[col.key] = get_column_letter(index)
    return slots, unnamed


def header_texts(ws: Worksheet) -> list[str]:
    """The header row's texts, for layouts whose columns depend on it."""
    texts = []
    # Never past the used range: iterating creates the cells it walks over.
    width = min(ws.max_column, MAX_COLUMNS)
    for cell in next(ws.iter_rows(min_row=1, max_row=1, max_col=width), ()):
        try:
            raw = read_raw(cell)
            if raw is not None:
                texts.append(parse_text(raw))
        except CellError:
            continue  # reported by read_table
    return texts


def unique(
    table: Table, problems: ProblemList, keys: Sequence[str], what: str = "重复"
) -> None:
    """Refuse rows repeating the combination of `keys`, naming the first row."""
    seen: dict[tuple[Any, ...], int] = {}
    for row in table.rows:
        if not all(k in row.values for k in keys):
            continue
        value = tuple(row.values[k] for k in keys)
        if value in seen:
            shown = "、".join(f"“{v}”" for v in value)
            table.add(
                problems,
                row.number,
                keys[-1],
                "duplicate",
                f"{shown}与第{seen[value]}行{what}",
            )
        else:
            seen[value] = row.number


def records(table: Table, keys: Sequence[str]) -> list[dict[str, Any]]:
    """Each row as a dict with the layout's key order, blank cells left out."""
    return [{k: row.values[k] for k in keys if k in row.values} for row in table.rows]


# -- key/value sheets (方案, 说明) ------------------------------------------

SETTING_COLS = (
    Col("项目", "item", required=True, width=18),
    Col("值", "value", _identity, width=30, wrap=True),
    Col("说明", "note", _identity, width=60, wrap=True),
)


def read_settings(
    ws: Worksheet,
    items: Mapping[str, Col],
    problems: ProblemList,
    *,
    notes_allowed: bool,
) -> dict[str, Any]:
    """Rows of 项目/值 keyed by `items` (label -> Col whose key is the output
    key). With notes_allowed, rows naming no known item are documentation."""
    table = read_table(ws, SETTING_COLS, problems)
    values: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for row in table.rows:
        label = row.values.get("item")
        col = items.get(label or "")
        if col is None:
            # A documentation row names a topic and leaves 值 blank.
            is_note = notes_allowed and row.values.get("value") is None
            if label is not None and not is_note:
                table.add(
                    problems,
                    row.number,
                    "item",
                    "unknown_value",
                    f"“{clip(label)}”不是可设置的项目(可填:{'、'.join(items)})",
                )
            continue
        if col.key in seen:
            table.add(
                problems,
                row.number,
                "item",
                "duplicate",
                f"“{label}”与第{seen[col.key]}行重复",
            )
            continue
        seen[col.key] = row.number
        raw = row.values.get("value")
        if raw is None:
            if col.required:
                table.add(problems, row.number, "value", "required", f"{label}未填写")
            continue
        try:
            values[col.key] = col.parse(raw)
        except CellError as exc:
            table.add(problems, row.number, "value", exc.code, f"{label}{exc.message}")
    for label, col in items.items():
        if col.required and col.key not in seen:
            problems.add(ws.title, "missing_item", f"{ws.title} 缺少“{label}”一行")
    return values


# -- which sheets -----------------------------------------------------------

FORMAT_NAMES = {"assessment-plan/1": "考核方案", "assessment-data/1": "考核数据"}
NOTES = "说明"


def open_sheets(
    wb: Workbook,
    known: Sequence[str],
    expected_format: str,
    note_items: Mapping[str, Col],
    problems: ProblemList,
) -> tuple[dict[str, Worksheet], dict[str, Any]]:
    """The workbook's sheets by name, and the values of its 说明 sheet.

    A workbook of the other kind is refused at once, with that one problem
    rather than a list of unknown sheets.
    """
    sheets: dict[str, Worksheet] = {}
    for name in wb.sheetnames:
        sheet = wb[name]
        key = name.strip()
        if key not in known or not isinstance(sheet, Worksheet) or key in sheets:
            problems.add(
                name,
                "unknown_sheet",
                f"工作表“{name}”不是本文件应有的工作表(应为:{'、'.join(known)})",
            )
            continue
        sheets[key] = sheet
    notes: dict[str, Any] = {}
    if NOTES in sheets:
        items = {"格式": Col("格式", "format"), **note_items}
        notes = read_settings(sheets[NOTES], items, problems, notes_allowed=True)
    found = notes.get("format", expected_format)
    if found != expected_format:
        kind = FORMAT_NAMES.get(found, found)
        raise InvalidInput(
            [
                Problem(
                    NOTES,
                    "wrong_format",
                    f"这是{kind}文件,不是{FORMAT_NAMES[expected_format]}文件",
                )
            ]
        )
    return sheets, notes
