"""Period data (`assessment-data/1`) to and from a workbook.

Sheets 乡镇, 目标, 填报, 事件, 表彰, 免考 hold one list each, one row an entry;
a missing sheet reads as an empty list. 说明 carries the 方案编码 and 周期编码
(the keyword arguments of the importer override them) and how to fill it in.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import partial
from typing import Any, BinaryIO

from indicators.errors import InvalidInput, Problem, ProblemList
from indicators.xlsx.cells import Out, parse_date, parse_number
from indicators.xlsx.safety import load_xlsx
from indicators.xlsx.sheets import (
    NOTES,
    Col,
    Table,
    open_sheets,
    read_table,
    records,
    unique,
)
from indicators.xlsx.syntax import format_code_list, parse_items
from indicators.xlsx.writing import empty_workbook, write_list, write_settings

DATA_FORMAT = "assessment-data/1"
TOWNSHIPS, TARGETS, RECORDS = "乡镇", "目标", "填报"
EVENTS, AWARDS, EXEMPTIONS = "事件", "表彰", "免考"

_TOWNSHIP = Col("乡镇", "township", required=True, note="乡镇编码,见“乡镇”表")
_INDICATOR = Col("指标", "indicator", required=True, note="指标编码,见考核方案")
_ID = Col("编号", "id", required=True, width=14, note="每条记录唯一的编号")
_RECORD_VALUES = ("value", "grade", "items", "score")

# (key, sheet, columns, column combinations that must be unique)
_SHEETS: tuple[tuple[str, str, tuple[Col, ...], tuple[tuple[str, ...], ...]], ...] = (
    (
        "townships",
        TOWNSHIPS,
        (
            Col("编码", "code", required=True),
            Col("名称", "name", required=True, width=24),
            Col("类别", "group", note="类别编码,见考核方案的“类别”表"),
        ),
        (("code",), ("name",)),
    ),
    (
        "targets",
        TARGETS,
        (_TOWNSHIP, _INDICATOR, Col("目标值", "target", parse_number, required=True)),
        (("township", "indicator"),),
    ),
    (
        "records",
        RECORDS,
        (
            _TOWNSHIP,
            _INDICATOR,
            Col(
                "数值",
                "value",
                parse_number,
                note="比例、分档、标杆、排名、公式类指标的完成值",
            ),
            Col("等级", "grade", note="等级类指标评定的等级,如 A"),
            Col(
                "清单项",
                "items",
                parse_items,
                width=30,
                wrap=True,
                note="清单类指标完成的项目编号,用“、”分隔;一项都没有完成填“无”",
            ),
            Col("得分", "score", parse_number, note="人工评分类指标的得分"),
        ),
        (("township", "indicator"),),
    ),
    (
        "events",
        EVENTS,
        (
            _ID,
            _TOWNSHIP,
            _INDICATOR,
            Col("类型", "type", note="事件类型编码,如 general"),
            Col("日期", "date", parse_date, required=True, note="写成 2026-02-03"),
        ),
        (("id",),),
    ),
    (
        "awards",
        AWARDS,
        (
            _ID,
            _TOWNSHIP,
            _INDICATOR,
            Col("级别", "level", required=True, note="表彰级别编码,如 provincial"),
            Col(
                "事项",
                "subject",
                width=30,
                wrap=True,
                note="同一事项获多个表彰、只按最高级别计分时,填写相同的事项",
            ),
        ),
        (("id",),),
    ),
    (
        "exemptions",
        EXEMPTIONS,
        (_TOWNSHIP, _INDICATOR, Col("原因", "reason", width=40, wrap=True)),
        (("township", "indicator"),),
    ),
)
_NOTE_ITEMS = {
    "方案编码": Col("方案编码", "plan"),
    "周期编码": Col("周期编码", "period"),
}
_KEYS = {"format", "plan", "period"} | {key for key, _, _, _ in _SHEETS}
_NOTES = (
    (TOWNSHIPS, "参加考核的乡镇(街道)及其类别"),
    (TARGETS, "与考核方案不同的乡镇目标值"),
    (RECORDS, "每个乡镇每个指标一行,按计分方法填写数值、等级、清单项或得分"),
    (EVENTS, "事故、信访、隐患等事件,每起一行"),
    (AWARDS, "获得的表彰,每项一行"),
    (EXEMPTIONS, "本周期免考的乡镇和指标"),
    ("数字", "只填阿拉伯数字(半角),不带单位、不用千位分隔符"),
    ("日期", "写成 2026-02-03,或使用 Excel 的日期格式"),
    ("工作表", "不要合并单元格,不要使用公式,不要增加或改名列"),
)


def period_data_to_xlsx(data: Mapping[str, Any]) -> bytes:
    """An assessment-data/1 dict as a workbook; InvalidInput if some value
    cannot be written without loss."""
    if not isinstance(data, Mapping):
        raise InvalidInput([Problem("", "not_an_object", "考核数据应为 JSON 对象")])
    out = Out()
    if data.get("format", DATA_FORMAT) != DATA_FORMAT:
        out.bad("format", "wrong_format", f"格式应为 {DATA_FORMAT}")
    for key in data:
        if key not in _KEYS:
            out.bad(str(key), "unsupported_field", "表格中没有对应的位置")
    wb = empty_workbook()
    writers = {"items": partial(format_code_list, none_mark=True)}
    for key, title, cols, _ in _SHEETS:
        items = data.get(key)
        write_list(wb, title, cols, [] if items is None else items, key, out, writers)
    notes = [
        ("格式", DATA_FORMAT, "本文件的格式,请勿修改"),
        ("方案编码", out.text(data.get("plan"), "plan"), "本数据所属考核方案的编码"),
        (
            "周期编码",
            out.text(data.get("period"), "period"),
            "本数据所属考核周期的编码",
        ),
        *((topic, None, note) for topic, note in _NOTES),
    ]
    write_settings(wb, NOTES, notes)
    out.problems.raise_if_any()
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def period_data_from_xlsx(
    data: bytes | BinaryIO, *, plan: str | None = None, period: str | None = None
) -> dict[str, Any]:
    """An assessment-data/1 dict from a workbook; InvalidInput listing every
    problem (sheet, row, column) when anything is wrong.

    `plan` and `period` override the codes on the 说明 sheet (say, for a
    template reused from the previous period).
    """
    wb = load_xlsx(data)
    problems = ProblemList()
    known = (*(title for _, title, _, _ in _SHEETS), NOTES)
    sheets, notes = open_sheets(wb, known, DATA_FORMAT, _NOTE_ITEMS, problems)
    result: dict[str, Any] = {"format": DATA_FORMAT}
    for key, given, label in (
        ("plan", plan, "方案编码"),
        ("period", period, "周期编码"),
    ):
        code = given if given is not None else notes.get(key)
        if code is None:
            problems.add(NOTES, "missing_item", f"{NOTES} 工作表缺少“{label}”")
        else:
            result[key] = code
    for key, title, cols, uniques in _SHEETS:
        if title not in sheets:
            result[key] = []
            continue
        table = read_table(sheets[title], cols, problems)
        for columns in uniques:
            unique(
                table, problems, columns, "名称重复" if columns == ("name",) else "重复"
            )
        if key == "records":
            _require_a_value(table, problems)
        result[key] = records(table, [col.key for col in cols])
    problems.raise_if_any()
    return result


def _require_a_value(table: Table, problems: ProblemList) -> None:
    for row in table.rows:
        if not any(k in row.values or k in row.failed for k in _RECORD_VALUES):
            table.add(
                problems, row.number, None, "no_value", "未填写数值、等级、清单项或得分"
            )
