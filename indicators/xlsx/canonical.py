"""What survives a trip through a workbook, as a function on dicts.

`plan_from_xlsx(plan_to_xlsx(p)) == canonical_plan(p)` for every plan the
exporter accepts, and the same for period data. The differences are all ones
without meaning:

- numbers are int or Decimal (floats through their shortest repr, numeric
  strings as written) in the fields that hold numbers; method parameters keep
  their JSON types, floats becoming Decimal;
- text is trimmed and its line breaks are LF (cells hold no CR);
- null, blank text, and an empty `evidence`, `tie_break` or `veto` read as
  absent (they mean the same);
- period data always has its six lists (a missing sheet is an empty list), and
  both formats carry their `format`.

Written independently of the readers and writers so tests can hold them to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indicators.xlsx.cells import as_number, normalise_text
from indicators.xlsx.data import DATA_FORMAT
from indicators.xlsx.plan_layout import PLAN_FORMAT

_PLAN_NUMBERS = {"year", "precision", "bonus_cap", "penalty_cap"}
_INDICATOR_NUMBERS = {"points", "target", "na_score"}
_ITEM_NUMBERS = {"min", "quota", "count", "target", "value", "score", "weight"}
_DATA_LISTS = ("townships", "targets", "records", "events", "awards", "exemptions")


def _text(value: Any) -> Any:
    return normalise_text(value).strip() if isinstance(value, str) else value


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if (
        value is None
        or value == ""
        or (key in {"evidence", "tie_break", "veto"} and value in ([], {}))
    ):
        return
    out[key] = value


def _json(value: Any) -> Any:
    if isinstance(value, float):
        return as_number(value)
    if isinstance(value, Mapping):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


def _flat(item: Any) -> Any:
    """A list entry of flat fields: numbers where numbers go, text trimmed."""
    if not isinstance(item, Mapping):
        return item
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key == "items" and isinstance(value, list):
            out[key] = [_text(v) for v in value]  # [] is "none met": kept
        elif key == "composition" and isinstance(value, list):
            _put(out, key, [_flat(part) for part in value])
        elif key == "weight" and isinstance(value, str) and "/" in value:
            _put(out, key, value.strip())  # an exact fraction stays as written
        else:
            _put(out, key, as_number(value) if key in _ITEM_NUMBERS else _text(value))
    return out


def _indicator(node: Any) -> Any:
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _INDICATOR_NUMBERS:
            _put(out, key, as_number(value))
        elif key == "method" and isinstance(value, Mapping):
            out[key] = {
                k: (_text(v) if k == "type" else _json(v)) for k, v in value.items()
            }
        elif key == "groups" and isinstance(value, list):
            out[key] = [_text(code) for code in value]
        elif key == "evidence" and isinstance(value, list):
            _put(out, key, [_flat(item) for item in value])
        elif key == "children" and isinstance(value, list):
            out[key] = [_indicator(child) for child in value]
        else:
            _put(out, key, _text(value))
    return out


def canonical_plan(plan: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"format": PLAN_FORMAT}
    for key, value in plan.items():
        if key == "format":
            continue
        if key in _PLAN_NUMBERS:
            _put(out, key, as_number(value))
        elif key == "tie_break" and isinstance(value, list):
            _put(out, key, [_text(v) for v in value])
        elif key == "veto" and isinstance(value, Mapping):
            veto: dict[str, Any] = {}
            for name, setting in value.items():
                _put(
                    veto,
                    name,
                    as_number(setting) if name == "grade_drop" else _text(setting),
                )
            _put(out, key, veto)
        elif key in {"departments", "groups", "periods", "grades"} and isinstance(
            value, list
        ):
            out[key] = [_flat(item) for item in value]
        elif key == "indicators" and isinstance(value, list):
            out[key] = [_indicator(node) for node in value]
        else:
            _put(out, key, _text(value))
    return out


def canonical_period_data(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"format": DATA_FORMAT}
    for key, value in data.items():
        if key == "format":
            continue
        if key in _DATA_LISTS:
            out[key] = (
                [_flat(item) for item in value] if isinstance(value, list) else value
            )
        else:
            _put(out, key, _text(value))
    for key in _DATA_LISTS:
        if out.get(key) is None:
            out[key] = []
    return out
