"""The small cell syntaxes of the workbooks, each read and written here.

- code lists (适用类别, 清单项): codes separated by 、 or , (，); written with 、.
  清单项 writes an empty list as 无.
- 佐证材料: items separated by ; (；or a line break), each 名称×份数 (or 名称*份数);
  名称 alone when no count is set. Written 资金到位凭证×1;项目合同×1.
- 组成 (composite periods): 周期编码×权重 separated by ;, weights decimal or 1/3.
- 参数: the scoring method's parameters as compact JSON, Chinese kept readable.

Export refuses names holding the separators, so every cell reads back unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from indicators.xlsx.cells import (
    XML_ILLEGAL_RE,
    CellError,
    Out,
    as_number,
    clip,
    number_from_text,
    parse_text,
    parse_weight,
    plain,
)

LIST_SEPARATORS = "、,，"
_LIST_RE = re.compile(f"[{LIST_SEPARATORS}]")
ITEM_SEPARATORS = ";；\n"
_ITEM_RE = re.compile(f"[{ITEM_SEPARATORS}]")
TIMES = "×*"
_TIMES_RE = re.compile(r"^(.*)[×*](.*)$", re.DOTALL)  # greedy: the last sign counts
NONE_MARKS = ("无", "（无）")
_FULL_WIDTH_JSON = re.compile("[“”‘’：，｛｝［］]")


def parse_code_list(raw: Any) -> list[str]:
    text = parse_text(raw)
    codes = [piece.strip() for piece in _LIST_RE.split(text)]
    if not all(codes):
        raise CellError("bad_syntax", f"“{clip(text)}”中有空项,多个编码用“、”分隔")
    return codes


def parse_items(raw: Any) -> list[str]:
    text = parse_text(raw)
    return [] if text in NONE_MARKS else parse_code_list(text)


def format_code_list(
    values: Any, path: str, out: Out, *, none_mark: bool
) -> str | None:
    if not isinstance(values, list | tuple):
        out.bad(path, "not_a_list", "应为列表")
        return None
    if not values:
        if none_mark:
            return NONE_MARKS[0]
        # Blank means "every group", the opposite of an empty list.
        out.bad(path, "empty_list", "空列表无法写入表格(留空表示不限)")
        return None
    texts = []
    for index, value in enumerate(values):
        text = out.text(value, f"{path}[{index}]")
        out.free_of(text, LIST_SEPARATORS, f"{path}[{index}]", "分隔符“、”或“,”")
        if text is not None and not text.strip():
            out.bad(f"{path}[{index}]", "bad_syntax", "空编码无法写入列表单元格")
        texts.append(text or "")
    if none_mark and len(values) == 1 and texts[0].strip() in NONE_MARKS:
        # Alone, it would read back as the empty list.
        out.bad(f"{path}[0]", "bad_syntax", "清单项“无”与“一项都未完成”的写法冲突")
    return "、".join(texts)


def _split_times(piece: str) -> tuple[str, str] | None:
    match = _TIMES_RE.match(piece)
    if match is None:
        return None
    return match.group(1).strip(), match.group(2).strip()


def parse_evidence(raw: Any) -> list[dict[str, Any]]:
    text = parse_text(raw)
    items: list[dict[str, Any]] = []
    for piece in (p.strip() for p in _ITEM_RE.split(text)):
        if not piece:
            continue  # "a;;b" or a trailing ";"
        split = _split_times(piece)
        if split is None:
            items.append({"name": piece})
            continue
        name, count = split
        if not name:
            raise CellError("bad_syntax", f"“{clip(piece)}”缺少材料名称")
        try:
            items.append({"name": name, "min": number_from_text(count)})
        except CellError:
            raise CellError(
                "bad_syntax",
                f"“{clip(piece)}”的份数“{clip(count)}”不是数字,应写成 材料名称×份数",
            ) from None
    return items


def format_evidence(items: Any, path: str, out: Out) -> str | None:
    if not isinstance(items, list | tuple):
        out.bad(path, "not_a_list", "应为列表")
        return None
    pieces = []
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if not isinstance(item, Mapping):
            out.bad(where, "not_an_object", "应为 {name, min}")
            continue
        for key in set(item) - {"name", "min"}:
            out.bad(f"{where}.{key}", "unsupported_field", "表格中没有对应的列")
        name = out.text(item.get("name"), f"{where}.name")
        out.free_of(name, ITEM_SEPARATORS + TIMES, f"{where}.name", "分隔符“;”或“×”")
        if name is None or not name.strip():
            out.bad(f"{where}.name", "required", "材料名称不能为空")
            continue
        if "min" in item and item["min"] is not None:
            count = out.number(item["min"], f"{where}.min")
            pieces.append(f"{name}×{_digits(count)}")
        else:
            pieces.append(name)
    return ";".join(pieces) or None


def parse_composition(raw: Any) -> list[dict[str, Any]]:
    text = parse_text(raw)
    parts: list[dict[str, Any]] = []
    for piece in (p.strip() for p in _ITEM_RE.split(text)):
        if not piece:
            continue
        split = _split_times(piece)
        if split is None or not split[0]:
            raise CellError(
                "bad_syntax", f"“{clip(piece)}”应写成 周期编码×权重,如 2026H1×0.3"
            )
        period, weight = split
        try:
            parts.append({"period": period, "weight": parse_weight(weight)})
        except CellError:
            raise CellError(
                "bad_syntax",
                f"“{clip(piece)}”的权重“{clip(weight)}”不是数字或分数(如 0.3、1/3)",
            ) from None
    if not parts:
        raise CellError("bad_syntax", "未写出任何组成周期")
    return parts


def format_composition(parts: Any, path: str, out: Out) -> str | None:
    if not isinstance(parts, list | tuple) or not parts:
        out.bad(path, "not_a_list", "应为非空列表")
        return None
    pieces = []
    for index, part in enumerate(parts):
        where = f"{path}[{index}]"
        if not isinstance(part, Mapping):
            out.bad(where, "not_an_object", "应为 {period, weight}")
            continue
        for key in set(part) - {"period", "weight"}:
            out.bad(f"{where}.{key}", "unsupported_field", "表格中没有对应的列")
        period = out.text(part.get("period"), f"{where}.period")
        out.free_of(period, ITEM_SEPARATORS + TIMES, f"{where}.period", "分隔符")
        weight = part.get("weight")
        if isinstance(weight, str) and re.fullmatch(r"[0-9]+/[0-9]+", weight.strip()):
            shown = weight.strip()
        else:
            shown = _digits(out.number(weight, f"{where}.weight"))
        pieces.append(f"{period}×{shown}")
    return ";".join(pieces)


def _digits(number: int | Decimal | str | None) -> str:
    if number is None:
        return ""
    return number if isinstance(number, str) else plain(number)


# -- 参数 (JSON) -------------------------------------------------------------


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise CellError("bad_json", f"参数中“{clip(key)}”出现了两次")
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise CellError("bad_json", f"参数中的“{name}”不是数字")


def parse_params(raw: Any) -> dict[str, Any]:
    text = parse_text(raw)
    try:
        value = json.loads(
            text,
            parse_float=Decimal,  # exact, as written; never binary floats
            parse_int=int,
            parse_constant=_no_constants,
            object_pairs_hook=_no_duplicate_keys,
        )
    except json.JSONDecodeError as exc:
        hint = (
            "(请使用英文半角的引号、冒号、逗号和括号)"
            if _FULL_WIDTH_JSON.search(text)
            else ""
        )
        raise CellError(
            "bad_json", f"不是有效的 JSON,第 {exc.pos + 1} 个字符处有误{hint}"
        ) from None
    except (ValueError, RecursionError):
        raise CellError("bad_json", "不是有效的 JSON(数字过长或嵌套过深)") from None
    if not isinstance(value, dict):
        raise CellError("bad_json", '应为 {…} 形式的 JSON,如 {"cap":1}')
    if "type" in value:
        raise CellError("bad_json", "参数中不要写 type,计分方法填在“计分方法”列")
    return value


def format_params(params: Mapping[str, Any], path: str, out: Out) -> str | None:
    text = _json(params, path, out)
    return out.text(text, path) if text is not None else None


def _json(value: Any, path: str, out: Out) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        number = as_number(value)
        if not isinstance(number, int | Decimal) or not Decimal(number).is_finite():
            out.bad(path, "not_a_number", "不是有限的数字")
            return None
        return plain(number)  # plain digits: readable, and JSON has no Decimal
    if isinstance(value, str):
        # JSON can escape what an XML cell cannot hold (lone surrogates, U+FFFE).
        return XML_ILLEGAL_RE.sub(
            lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
        )
    if isinstance(value, Mapping):
        members = []
        for key, item in value.items():
            if not isinstance(key, str):
                out.bad(path, "not_json", f"键 {clip(repr(key))} 不是文字")
                return None
            encoded = _json(item, f"{path}.{key}", out)
            if encoded is None:
                return None
            members.append(f"{_json(key, path, out)}:{encoded}")
        return "{" + ",".join(members) + "}"
    if isinstance(value, list | tuple):
        encoded_items = [
            _json(item, f"{path}[{i}]", out) for i, item in enumerate(value)
        ]
        if any(item is None for item in encoded_items):
            return None
        return "[" + ",".join(item for item in encoded_items if item is not None) + "]"
    out.bad(path, "not_json", f"{clip(repr(value))} 无法写成 JSON")
    return None
