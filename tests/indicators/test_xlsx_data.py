"""The period data workbook: round trips, layout, and import problems."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.workbook.workbook import Workbook

from indicators.errors import InvalidInput
from indicators.xlsx import (
    DATA_FORMAT,
    canonical_period_data,
    canonical_plan,
    period_data_from_xlsx,
    period_data_to_xlsx,
    plan_from_xlsx,
    plan_to_xlsx,
)
from tests.indicators.test_xlsx_plan import (
    ROUND_TRIP,
    TRICKY,
    assert_exact,
    codes,
    edit,
    load_demo,
    loose_texts,
    names,
    numbers,
    only,
    problems_of,
)

DATA = load_demo("data-2026Q1.json")
DATA_BYTES = period_data_to_xlsx(DATA)


def import_problems(data: bytes, **codes_given: str) -> list[Any]:
    return problems_of(data, lambda d: period_data_from_xlsx(d, **codes_given))


# -- strategies ---------------------------------------------------------------------

_dates = st.dates(date(1890, 1, 1), date(2100, 12, 31)).map(date.isoformat)
_pairs = st.tuples(codes, codes)


def _keyed(
    key: st.SearchStrategy[Any],
    build: st.SearchStrategy[dict[str, Any]],
    unique_key: Any,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(st.tuples(key, build), max_size=5, unique_by=lambda kv: kv[0]).map(
        lambda found: [{**unique_key(k), **rest} for k, rest in found]
    )


def _pair(pair: tuple[str, str]) -> dict[str, str]:
    return {"township": pair[0], "indicator": pair[1]}


_record_fields = st.fixed_dictionaries(
    {},
    optional={
        "value": numbers,
        "grade": codes,
        "items": st.lists(codes, max_size=4),  # [] is "none met", written 无
        "score": numbers,
    },
).filter(bool)

_LISTS = {
    "townships": st.lists(
        st.fixed_dictionaries(
            {"code": codes, "name": names}, optional={"group": codes}
        ),
        max_size=5,
        unique_by=(lambda t: t["code"], lambda t: t["name"].strip()),
    ),
    "targets": _keyed(_pairs, st.fixed_dictionaries({"target": numbers}), _pair),
    "records": _keyed(_pairs, _record_fields, _pair),
    "events": _keyed(
        codes,
        st.fixed_dictionaries(
            {"township": codes, "indicator": codes, "date": _dates},
            optional={"type": codes},
        ),
        lambda k: {"id": k},
    ),
    "awards": _keyed(
        codes,
        st.fixed_dictionaries(
            {"township": codes, "indicator": codes, "level": codes},
            optional={"subject": loose_texts},
        ),
        lambda k: {"id": k},
    ),
    "exemptions": _keyed(
        _pairs, st.fixed_dictionaries({}, optional={"reason": loose_texts}), _pair
    ),
}
period_data = st.fixed_dictionaries(
    {"format": st.just(DATA_FORMAT), "plan": codes, "period": codes}, optional=_LISTS
)


# -- round trips ----------------------------------------------------------------------


def test_the_worked_example_round_trips() -> None:
    back = period_data_from_xlsx(DATA_BYTES)
    assert back == canonical_period_data(DATA)
    assert_exact(back)
    assert back["records"][7] == {
        "township": "T01",
        "indicator": "A2",
        "value": Decimal("8.2"),
    }
    assert back["events"][0]["date"] == "2025-12-20"


def test_floats_from_plain_json_come_back_as_decimals() -> None:
    data = load_demo("data-2026Q1.json", parse_float=float)
    back = period_data_from_xlsx(period_data_to_xlsx(data))
    assert back == canonical_period_data(data) == canonical_period_data(DATA)
    assert_exact(back)


@ROUND_TRIP
@given(period_data)
def test_generated_period_data_round_trips(data: dict[str, Any]) -> None:
    back = period_data_from_xlsx(period_data_to_xlsx(data))
    assert back == canonical_period_data(data)
    assert_exact(back)


def test_chinese_text_and_formula_like_text_round_trip() -> None:
    data = {
        "plan": "=p",
        "period": "+q",
        "townships": [
            {"code": f"T{i}", "name": name, "group": "-g"}
            for i, name in enumerate(TRICKY)
        ]
        + [{"code": "㽏", "name": "㽏溪镇𬌗村（试点）😀", "group": "@g"}],
        "records": [
            {"township": "㽏", "indicator": "C2", "items": ["方案", "=台账", "𬌗"]}
        ],
        "exemptions": [
            {"township": "㽏", "indicator": "A1", "reason": "洪灾免考，见《通知》"}
        ],
    }
    assert period_data_from_xlsx(period_data_to_xlsx(data)) == canonical_period_data(
        data
    )


def test_the_canonical_form() -> None:
    assert canonical_period_data({"plan": " p ", "period": "q", "records": None}) == {
        "format": DATA_FORMAT,
        "plan": "p",
        "period": "q",
        "townships": [],
        "targets": [],
        "records": [],
        "events": [],
        "awards": [],
        "exemptions": [],
    }


# -- layout -----------------------------------------------------------------------------


def test_the_layout() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(DATA_BYTES))
    assert wb.sheetnames == ["乡镇", "目标", "填报", "事件", "表彰", "免考", "说明"]
    headers = {ws.title: [c.value for c in ws[1]] for ws in wb.worksheets}
    assert headers["填报"] == ["乡镇", "指标", "数值", "等级", "清单项", "得分"]
    assert headers["事件"] == ["编号", "乡镇", "指标", "类型", "日期"]
    assert headers["表彰"] == ["编号", "乡镇", "指标", "级别", "事项"]
    assert headers["免考"] == ["乡镇", "指标", "原因"]
    notes = {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=2)}
    assert (notes["格式"], notes["方案编码"], notes["周期编码"]) == (
        DATA_FORMAT,
        "2026-xz",
        "2026Q1",
    )
    assert wb["填报"]["E40"].value == "plan、ledger、inspection、rectify"
    assert wb["事件"]["E2"].value == datetime(2025, 12, 20)
    assert all(c.font.b for c in wb["填报"][1]) and wb["填报"].freeze_panes == "A2"


# -- import rules ------------------------------------------------------------------------


def _cell(sheet: str, ref: str, value: Any, number_format: str | None = None) -> Any:
    def change(wb: Workbook) -> None:
        wb[sheet][ref] = value
        if number_format:
            wb[sheet][ref].number_format = number_format

    return change


def test_codes_come_from_the_notes_sheet_unless_given() -> None:
    assert period_data_from_xlsx(DATA_BYTES, period="2026Q2")["period"] == "2026Q2"
    assert period_data_from_xlsx(DATA_BYTES, plan="other")["plan"] == "other"
    without_notes = edit(DATA_BYTES, lambda wb: wb.remove(wb["说明"]))
    assert period_data_from_xlsx(
        without_notes, plan="2026-xz", period="2026Q1"
    ) == canonical_period_data(DATA)
    problems = import_problems(without_notes)
    assert [(p.path, p.code) for p in problems] == [("说明", "missing_item")] * 2
    assert "周期编码" in problems[1].message


def test_a_missing_optional_sheet_is_an_empty_list() -> None:
    def change(wb: Workbook) -> None:
        for title in ("目标", "事件", "表彰", "免考"):
            wb.remove(wb[title])

    back = period_data_from_xlsx(edit(DATA_BYTES, change))
    assert (
        back["targets"] == back["events"] == back["awards"] == back["exemptions"] == []
    )
    assert len(back["records"]) == len(DATA["records"])


@pytest.mark.parametrize(
    ("change", "path", "code", "words"),
    [
        (
            _cell("填报", "B1", "指标编码"),
            "填报!1",
            "missing_column",
            "填报 缺少“指标”列",
        ),
        (
            _cell("填报", "G1", "备注"),
            "填报!G1",
            "unknown_column",
            "“备注”不是本表的列名",
        ),
        (
            _cell("事件", "E3", 46023, "General"),
            "事件!E3",
            "date_serial",
            "请写成 2026-02-03",
        ),
        (_cell("事件", "E3", "2026年1月15日"), "事件!E3", "not_a_date", "2026-02-03"),
        (
            _cell("事件", "E3", datetime(2026, 1, 15, 9, 0)),
            "事件!E3",
            "date_has_time",
            None,
        ),
        (_cell("事件", "E3", None), "事件!E3", "required", "未填写"),
        (_cell("事件", "A3", "E-2025-31"), "事件!A3", "duplicate", "与第2行重复"),
        (_cell("填报", "C2", "1,286"), "填报!C2", "not_a_number", "千位分隔符"),
        (_cell("填报", "C2", "３６００"), "填报!C2", "not_a_number", "半角"),
        (_cell("填报", "C2", "=3000+600"), "填报!C2", "formula", "=3000+600"),
        (
            _cell("填报", "C2", None),
            "填报!2",
            "no_value",
            "未填写数值、等级、清单项或得分",
        ),
        (_cell("填报", "A3", "T01"), "填报!B3", "duplicate", "“T01”、“A1”与第2行重复"),
        (_cell("填报", "E40", "plan、、ledger"), "填报!E40", "bad_syntax", "空项"),
        (_cell("乡镇", "B3", "城关街道"), "乡镇!B3", "duplicate", "名称重复"),
        (_cell("乡镇", "A3", None), "乡镇!A3", "required", None),
        (_cell("表彰", "D2", None), "表彰!D2", "required", None),
        (_cell("目标", "C2", "五千"), "目标!C2", "not_a_number", None),
        (_cell("说明", "B3", None), "说明", "missing_item", "方案编码"),
    ],
)
def test_import_problems_name_sheet_row_and_column(
    change: Any, path: str, code: str, words: str | None
) -> None:
    problems = import_problems(edit(DATA_BYTES, change))
    assert (path, code) in {(p.path, p.code) for p in problems}, problems
    if words:
        assert words in next(
            p.message for p in problems if (p.path, p.code) == (path, code)
        )


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        (_cell("填报", "C2", "3000"), "value", 3000),  # a number typed as text
        (_cell("填报", "C2", " 3000.50 "), "value", Decimal("3000.50")),
        (_cell("填报", "C2", 0.1 + 0.2), "value", Decimal("0.3")),
        (_cell("填报", "E2", "无"), "items", []),
        (_cell("填报", "E2", "plan,minutes，x"), "items", ["plan", "minutes", "x"]),
        (_cell("填报", "D2", 1), "grade", "1"),  # a code typed as a number
    ],
)
def test_cells_read_as_people_type_them(change: Any, field: str, expected: Any) -> None:
    record = period_data_from_xlsx(edit(DATA_BYTES, change))["records"][0]
    assert record[field] == expected and type(record[field]) is type(expected)


def test_dates_may_be_date_cells_or_text() -> None:
    def change(wb: Workbook) -> None:
        wb["事件"]["E2"] = "2025-12-20"
        wb["事件"]["E3"] = date(2026, 1, 15)

    back = period_data_from_xlsx(edit(DATA_BYTES, change))
    assert [e["date"] for e in back["events"][:2]] == ["2025-12-20", "2026-01-15"]


def test_every_problem_is_listed_across_sheets() -> None:
    def change(wb: Workbook) -> None:
        wb["乡镇"].merge_cells("C2:C3")
        wb["填报"]["F47"] = "14.5分"
        wb["事件"]["E4"] = "=DATE(2026,2,2)"
        wb["免考"]["A2"] = "T05"  # 指标 left blank
        wb.create_sheet("Sheet1")

    problems = import_problems(edit(DATA_BYTES, change))
    assert [(p.path, p.code) for p in problems] == [
        ("Sheet1", "unknown_sheet"),
        ("乡镇!C2:C3", "merged_cells"),
        ("填报!F47", "not_a_number"),
        ("事件!E4", "formula"),
        ("免考!B2", "required"),
    ]


def test_blank_rows_are_skipped() -> None:
    def change(wb: Workbook) -> None:
        wb["填报"].insert_rows(5, amount=3)
        wb["填报"]["A6"] = "  "

    assert period_data_from_xlsx(edit(DATA_BYTES, change)) == canonical_period_data(
        DATA
    )


def test_a_plan_workbook_is_not_period_data() -> None:
    plan_bytes = plan_to_xlsx(load_demo("plan-2026.json"))
    problem = only(import_problems(plan_bytes), "wrong_format")
    assert problem.message == "这是考核方案文件,不是考核数据文件"


@pytest.mark.parametrize(
    ("data", "path", "code"),
    [
        (
            {"records": [{"township": "T", "indicator": "A", "items": ["a、b"]}]},
            "records[0].items[0]",
            "separator_in_text",
        ),
        (
            {"records": [{"township": "T", "indicator": "A", "items": ["无"]}]},
            "records[0].items[0]",
            "bad_syntax",
        ),
        (
            {"records": [{"township": "T", "indicator": "A", "value": 1, "note": "x"}]},
            "records[0].note",
            "unsupported_field",
        ),
        (
            {"townships": [{"code": "T", "name": "t", "leader": "x"}]},
            "townships[0].leader",
            "unsupported_field",
        ),
        (
            {
                "events": [
                    {"id": "E", "township": "T", "indicator": "A", "date": 20260203}
                ]
            },
            "events[0].date",
            "not_text",
        ),
        ({"targets": "none"}, "targets", "not_a_list"),
        ({"results": []}, "results", "unsupported_field"),
    ],
)
def test_export_refuses_what_a_sheet_cannot_hold(
    data: dict[str, Any], path: str, code: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        period_data_to_xlsx({"plan": "p", "period": "q", **data})
    assert (path, code) in {(p.path, p.code) for p in exc.value.problems}


def test_the_engine_reads_imported_workbooks_as_it_reads_the_json() -> None:
    from indicators.data_format import parse_period_data, period_data_to_dict
    from indicators.plan_format import parse_plan, plan_to_dict

    plan = parse_plan(load_demo("plan-2026.json"))
    inputs = parse_period_data(DATA, plan)
    via_excel = parse_plan(plan_from_xlsx(plan_to_xlsx(load_demo("plan-2026.json"))))
    assert via_excel == plan
    assert parse_period_data(period_data_from_xlsx(DATA_BYTES), via_excel) == inputs
    # and the engine's own canonical dicts survive the trip
    plan_dict = plan_to_dict(plan)
    assert plan_from_xlsx(plan_to_xlsx(plan_dict)) == canonical_plan(plan_dict)
    data_dict = period_data_to_dict(inputs)
    back = period_data_from_xlsx(period_data_to_xlsx(data_dict))
    assert back == canonical_period_data(data_dict)
