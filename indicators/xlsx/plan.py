"""Plan (考核方案, `assessment-plan/1`) to and from the 考核细则 workbook.

Sheets: 考核细则 (the indicator tree, one row a node), 方案 (settings as
项目/值 rows), 等次, 类别, 部门, 周期 (one row an entry; a sheet is written only
when the plan has that key, and a missing sheet reads as a missing key), 说明
(how to fill it in; ignored on import except its 格式 row).

In 考核细则 a node's depth is the level column holding its name (一级指标,
二级指标 …, more columns only for deeper plans); its parent is the nearest
earlier row one level up. 类型 is 基本项/加分项/扣分项/一票否决项 for an item and
blank for a category; a category without children is written 类别.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, BinaryIO

from openpyxl.worksheet.worksheet import Worksheet

from indicators.errors import InvalidInput, Problem, ProblemList
from indicators.xlsx.cells import Out, parse_integer, parse_number
from indicators.xlsx.plan_layout import (
    CATEGORY,
    CATEGORY_MARKS,
    INDICATOR_KEYS,
    INDICATORS,
    LEVEL_NOTE,
    LISTS,
    MAX_LEVELS,
    METHODS,
    NA_POLICIES,
    PLAN_FORMAT,
    PLAN_KEYS,
    PLAN_NOTES,
    ROLES,
    SETTING_CHOICES,
    SETTING_ROWS,
    SETTINGS,
    TIE_BREAKS,
    indicator_cols,
    level_header,
)
from indicators.xlsx.safety import load_xlsx
from indicators.xlsx.sheets import (
    NOTES,
    Col,
    Row,
    Table,
    header_texts,
    open_sheets,
    read_settings,
    read_table,
    records,
    unique,
)
from indicators.xlsx.syntax import (
    format_code_list,
    format_composition,
    format_evidence,
    format_params,
)
from indicators.xlsx.writing import (
    add_choices,
    empty_workbook,
    new_sheet,
    write_list,
    write_rows,
    write_settings,
)

# -- export ----------------------------------------------------------------


def plan_to_xlsx(plan: Mapping[str, Any]) -> bytes:
    """An assessment-plan/1 dict as a 考核细则 workbook; InvalidInput if some
    value cannot be written without loss."""
    if not isinstance(plan, Mapping):
        raise InvalidInput([Problem("", "not_an_object", "方案应为 JSON 对象")])
    out = Out()
    if plan.get("format", PLAN_FORMAT) != PLAN_FORMAT:
        out.bad("format", "wrong_format", f"格式应为 {PLAN_FORMAT}")
    for key in plan:
        if key not in PLAN_KEYS:
            out.bad(str(key), "unsupported_field", "表格中没有对应的位置")
    rows, depth = _indicator_rows(plan.get("indicators"), out)
    wb = empty_workbook()
    cols = indicator_cols(depth)
    ws = new_sheet(wb, INDICATORS, cols)
    write_rows(ws, cols, rows, bold=lambda row: bool(row.get("_category")))
    for key, labels in (
        ("role", ROLES),
        ("method", METHODS),
        ("na_policy", NA_POLICIES),
    ):
        extra = ("类别",) if key == "role" else ()
        add_choices(ws, cols, key, (*labels.values(), *extra), len(rows))
    add_choices(ws, cols, "scaled", ("是", "否"), len(rows))
    write_settings(wb, SETTINGS, _settings_rows(plan, out))
    for key, title, list_cols in LISTS:
        if key in plan:
            writers = {"composition": format_composition}
            write_list(wb, title, list_cols, plan[key], key, out, writers)
    write_settings(wb, NOTES, PLAN_NOTES)
    out.problems.raise_if_any()
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _indicator_rows(nodes: Any, out: Out) -> tuple[list[dict[str, Any]], int]:
    rows: list[dict[str, Any]] = []
    depth = 3  # the familiar layout always shows three levels

    def walk(nodes: Any, level: int, path: str) -> None:
        nonlocal depth
        if not isinstance(nodes, list | tuple):
            out.bad(path, "not_a_list", "应为列表")
            return
        for index, node in enumerate(nodes):
            where = f"{path}[{index}]"
            if not isinstance(node, Mapping):
                out.bad(where, "not_an_object", "应为 JSON 对象")
                continue
            if level > MAX_LEVELS:
                out.bad(where, "too_deep", f"指标层级超过 {MAX_LEVELS} 级")
                return
            depth = max(depth, level)
            rows.append(_indicator_row(node, level, where, out))
            if "children" in node:
                walk(node["children"], level + 1, f"{where}.children")

    walk(nodes, 1, "indicators")
    return rows, depth


def _indicator_row(
    node: Mapping[str, Any], level: int, path: str, out: Out
) -> dict[str, Any]:
    for key in node:
        if key not in INDICATOR_KEYS:
            out.bad(f"{path}.{key}", "unsupported_field", "表格中没有对应的列")
    name = out.text(node.get("name"), f"{path}.name")
    if not (name or "").strip():
        out.bad(f"{path}.name", "required", "指标名称为空,无法确定它在表格中的层级")
    row: dict[str, Any] = {f"level{level}": name, "_category": "children" in node}
    for key in ("code", "unit", "department", "criteria"):
        row[key] = out.text(node.get(key), f"{path}.{key}")
    for key in ("points", "target", "na_score"):
        row[key] = out.number(node.get(key), f"{path}.{key}")
    row["na_policy"] = out.choice(
        node.get("na_policy"), NA_POLICIES, f"{path}.na_policy"
    )
    if node.get("role") is not None:
        row["role"] = out.choice(node["role"], ROLES, f"{path}.role")
    elif node.get("children") == []:
        row["role"] = CATEGORY_MARKS[0]  # no child rows to show it is a category
    scaled = node.get("scaled")
    if scaled is not None:
        if isinstance(scaled, bool):
            row["scaled"] = "是" if scaled else "否"
        else:
            out.bad(f"{path}.scaled", "not_a_boolean", "应为 true 或 false")
    method = node.get("method")
    if method is not None:
        _method_cells(method, row, f"{path}.method", out)
    if node.get("groups") is not None:
        row["groups"] = format_code_list(
            node["groups"], f"{path}.groups", out, none_mark=False
        )
    if node.get("evidence"):
        row["evidence"] = format_evidence(node["evidence"], f"{path}.evidence", out)
    return row


def _method_cells(method: Any, row: dict[str, Any], path: str, out: Out) -> None:
    if not isinstance(method, Mapping):
        out.bad(path, "not_an_object", "应为 JSON 对象")
        return
    if not isinstance(method.get("type"), str):
        out.bad(f"{path}.type", "required", "缺少计分方法类型")
        return
    row["method"] = out.choice(method["type"], METHODS, f"{path}.type")
    params = {key: value for key, value in method.items() if key != "type"}
    if params:
        row["params"] = format_params(params, path, out)


def _settings_rows(plan: Mapping[str, Any], out: Out) -> list[tuple[str, Any, str]]:
    veto = plan.get("veto")
    if veto is None:
        veto = {}
    elif not isinstance(veto, Mapping):
        out.bad("veto", "not_an_object", "应为 JSON 对象")
        veto = {}
    for key in veto:
        if f"veto.{key}" not in {c.key for c in SETTING_ROWS}:
            out.bad(f"veto.{key}", "unsupported_field", "表格中没有对应的位置")
    rows = []
    for col in SETTING_ROWS:
        key = col.key
        value = veto.get(key[5:]) if key.startswith("veto.") else plan.get(key)
        rows.append((col.header, _setting_cell(col, value, out), col.note))
    return rows


def _setting_cell(col: Col, value: Any, out: Out) -> Any:
    if value is None:
        return None
    if col.key in SETTING_CHOICES:
        return out.choice(value, SETTING_CHOICES[col.key], col.key)
    if col.key == "tie_break":
        if not isinstance(value, list | tuple):
            out.bad(col.key, "not_a_list", "应为列表")
            return None
        if not value:
            return None  # an empty order is no order: same as blank
        labels = [
            out.choice(v, TIE_BREAKS, f"tie_break[{i}]") for i, v in enumerate(value)
        ]
        return "、".join(label or "" for label in labels)
    if col.parse in (parse_number, parse_integer):
        return out.number(value, col.key)
    return out.text(value, col.key)


# -- import ----------------------------------------------------------------


def plan_from_xlsx(data: bytes | BinaryIO) -> dict[str, Any]:
    """An assessment-plan/1 dict from a 考核细则 workbook; InvalidInput listing
    every problem (sheet, row, column) when anything is wrong."""
    wb = load_xlsx(data)
    problems = ProblemList()
    known = (INDICATORS, SETTINGS, *(title for _, title, _ in LISTS), NOTES)
    sheets, _ = open_sheets(wb, known, PLAN_FORMAT, {}, problems)
    plan: dict[str, Any] = {"format": PLAN_FORMAT}
    if SETTINGS in sheets:
        plan.update(_read_settings(sheets[SETTINGS], problems))
    else:
        problems.add(SETTINGS, "missing_sheet", f"缺少“{SETTINGS}”工作表")
    for key, title, cols in LISTS:
        if title in sheets:
            table = read_table(sheets[title], cols, problems)
            unique(table, problems, ("code",))
            unique(table, problems, ("name",), "名称重复")
            plan[key] = records(table, [c.key for c in cols])
    if INDICATORS in sheets:
        plan["indicators"] = _read_indicators(sheets[INDICATORS], problems)
    else:
        problems.add(INDICATORS, "missing_sheet", f"缺少“{INDICATORS}”工作表")
    problems.raise_if_any()
    return plan


def _read_settings(ws: Worksheet, problems: ProblemList) -> dict[str, Any]:
    values = read_settings(
        ws, {c.header: c for c in SETTING_ROWS}, problems, notes_allowed=False
    )
    settings: dict[str, Any] = {}
    veto: dict[str, Any] = {}
    for col in SETTING_ROWS:
        if col.key in values:
            if col.key.startswith("veto."):
                veto[col.key[5:]] = values[col.key]
            else:
                settings[col.key] = values[col.key]
    if veto:
        settings["veto"] = veto
    return settings


def _read_indicators(ws: Worksheet, problems: ProblemList) -> list[dict[str, Any]]:
    headers = set(header_texts(ws))
    depth = 1
    while depth < MAX_LEVELS and level_header(depth + 1) in headers:
        depth += 1
    table = read_table(ws, indicator_cols(depth), problems)
    if "level1" not in table.letters:
        problems.add(f"{ws.title}!1", "missing_column", f"{ws.title} 缺少“一级指标”列")
    roots: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []  # the open path: stack[i] is at level i + 1
    categories: list[dict[str, Any]] = []
    codes: dict[str, int] = {}
    # (id of the sibling list, name) -> row; the lists live as long as this dict.
    names: dict[tuple[int, str], int] = {}
    for row in table.rows:
        level = _level(table, row, depth, len(stack), problems)
        if level is None:
            continue
        node, is_category = _node(table, row, level, problems)
        siblings = stack[level - 2].setdefault("children", []) if level > 1 else roots
        _check_unique(table, row, node, codes, names, id(siblings), level, problems)
        siblings.append(node)
        del stack[level - 1 :]
        stack.append(node)
        if is_category:
            categories.append(node)
    for node in categories:
        node.setdefault("children", [])
    return roots


def _level(
    table: Table, row: Row, depth: int, open_levels: int, problems: ProblemList
) -> int | None:
    """The row's level: the one level column holding a name, at most one deeper
    than the rows above it."""
    levels = [n for n in range(1, depth + 1) if f"level{n}" in row.values]
    if not levels:
        if not any(f"level{n}" in row.failed for n in range(1, depth + 1)):
            what = f"未填写指标名称({LEVEL_NOTE})"
            table.add(problems, row.number, None, "no_name", what)
        return None
    if len(levels) > 1:
        first, second = (table.headers[f"level{n}"] for n in levels[:2])
        what = f"一行只能在一个层级列填写名称,本行同时填写了“{first}”和“{second}”"
        table.add(problems, row.number, f"level{levels[1]}", "two_levels", what)
        return None
    level = levels[0]
    if level - 1 > open_levels:
        above = level_header(level - 1)
        what = f"这是{level_header(level)},但上方没有{above}作为它的上级"
        table.add(problems, row.number, f"level{level}", "level_gap", what)
        return None
    return level


def _node(
    table: Table, row: Row, level: int, problems: ProblemList
) -> tuple[dict[str, Any], bool]:
    values = row.values
    node: dict[str, Any] = {}
    if "code" in values:
        node["code"] = values["code"]
    node["name"] = values[f"level{level}"]
    role = values.get("role")
    if role is not None and role != CATEGORY:
        node["role"] = role
    for key in ("points", "scaled", "department", "groups", "target", "unit"):
        if key in values:
            node[key] = values[key]
    if "method" in values:
        node["method"] = {"type": values["method"], **values.get("params", {})}
    elif "params" in values and "method" not in row.failed:
        table.add(
            problems,
            row.number,
            "params",
            "params_without_method",
            "填写了参数,但没有填写计分方法",
        )
    for key in ("evidence", "criteria", "na_policy", "na_score"):
        if values.get(key) not in (None, []):
            node[key] = values[key]
    return node, role == CATEGORY


def _check_unique(
    table: Table,
    row: Row,
    node: dict[str, Any],
    codes: dict[str, int],
    names: dict[tuple[int, str], int],
    parent: int,
    level: int,
    problems: ProblemList,
) -> None:
    code = node.get("code")
    if code is not None:
        if code in codes:
            table.add(
                problems,
                row.number,
                "code",
                "duplicate",
                f"“{code}”与第{codes[code]}行重复",
            )
        else:
            codes[code] = row.number
    key = (parent, node["name"])
    if key in names:
        table.add(
            problems,
            row.number,
            f"level{level}",
            "duplicate",
            f"“{node['name']}”与第{names[key]}行同属一个上级,名称重复",
        )
    else:
        names[key] = row.number
