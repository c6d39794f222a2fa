"""The 考核细则 workbook: round trips, layout, and every import problem listed
at its sheet, row and column."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.workbook.workbook import Workbook

from indicators.errors import InvalidInput, Problem
from indicators.xlsx import (
    PLAN_FORMAT,
    canonical_plan,
    period_data_to_xlsx,
    plan_from_xlsx,
    plan_to_xlsx,
)
from indicators.xlsx.plan_layout import METHODS, NA_POLICIES, ROLES, level_header

DEMO = Path(__file__).resolve().parents[2] / "assessment" / "demo_data"


def load_demo(name: str, parse_float: Callable[[str], Any] = Decimal) -> dict[str, Any]:
    return json.loads((DEMO / name).read_text("utf-8"), parse_float=parse_float)


def assert_exact(value: Any, path: str = "") -> None:
    """No binary floats anywhere in an imported dict."""
    assert not isinstance(value, float), f"float at {path}: {value!r}"
    if isinstance(value, dict):
        for key, item in value.items():
            assert_exact(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_exact(item, f"{path}[{index}]")


def edit(data: bytes, change: Callable[[Workbook], Any]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def problems_of(
    data: bytes, importer: Callable[..., Any] = plan_from_xlsx
) -> list[Problem]:
    with pytest.raises(InvalidInput) as exc:
        importer(data)
    return exc.value.problems


def only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, problems
    return found[0]


PLAN = load_demo("plan-2026.json")
PLAN_BYTES = plan_to_xlsx(PLAN)


# -- strategies (shared with the period data tests) ----------------------------

_PIECES = [
    *"城关街道东石桥镇临河青山乡柳溪白沙经济建设招商引资考核指标",
    *"㽏𬌗𠀀",  # outside GB2312; the last two outside the BMP
    *"，。：；（）“”‘’！？《》【】—…·",
    *["😀", "🎉", "👍🏻", "🇨🇳", "👨‍👩‍👧"],
    *"abcXYZ019 _-.#%/'\"<>&\t",
]
_LEADS = [
    "",
    "",
    "",
    "",
    "=",
    "+",
    "-",
    "@",
    '=HYPERLINK("http://x","点我")',
    "#N/A",
    "_x0041_",
]


def texts(max_size: int = 8) -> st.SearchStrategy[str]:
    body = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=max_size).map(
        "".join
    )
    return st.builds(str.__add__, st.sampled_from(_LEADS), body)


names = texts().filter(lambda s: bool(s.strip()))
# Free text is trimmed and its line breaks become LF on the way back.
loose_texts = st.one_of(texts(20), texts().map(lambda s: f"  {s}\r\n第二行 \r末行\t"))
codes = st.text(
    alphabet=st.sampled_from(
        [*"ABCxyz0123456789_-.=+@#", "城", "镇", "㽏", "𬌗", "😀"]
    ),
    min_size=1,
    max_size=6,
)
numbers = st.one_of(
    st.integers(-(10**6), 10**6),
    st.decimals(-(10**6), 10**6, places=3, allow_nan=False, allow_infinity=False),
    st.floats(-1e6, 1e6, allow_nan=False).filter(lambda x: x == 0 or abs(x) >= 1e-6),
    st.sampled_from(
        [
            10**15,
            -(10**17),
            Decimal("0.1234567890123456789"),  # finer than Excel keeps
            Decimal("1E+3"),
            Decimal("-0"),
            Decimal("0.30"),
            0.1 + 0.2,
            "3000.5",  # the spec allows numeric strings
            "12",
        ]
    ),
)
_json_numbers = st.one_of(
    st.integers(-(10**6), 10**6),
    st.decimals(-1000, 1000, places=2),
    st.floats(-1e3, 1e3).filter(lambda x: x == 0 or abs(x) > 1e-3),
)
json_values = st.recursive(
    st.none() | st.booleans() | _json_numbers | texts(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(texts(4), inner, max_size=3)
    ),
    max_leaves=8,
)


def _params(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


_per_type = st.dictionaries(
    st.sampled_from(["general", "major", "一般事故", "较大事故"]),
    _json_numbers,
    min_size=1,
)
_repeat = st.fixed_dictionaries(
    {
        "window_days": st.integers(1, 365),
        "multipliers": st.lists(st.integers(1, 5), min_size=1, max_size=3),
    }
)
_METHOD_PARAMS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "ratio": _params(
        cap=_json_numbers,
        floor=_json_numbers,
        direction=st.sampled_from(["higher", "lower"]),
        excess=st.fixed_dictionaries(
            {"step": _json_numbers, "points": _json_numbers, "max": _json_numbers}
        ),
    ),
    "tiers": _params(
        on=st.sampled_from(["value", "ratio"]),
        tiers=st.lists(
            st.fixed_dictionaries({"min": _json_numbers, "fraction": _json_numbers}),
            max_size=3,
        ),
        **{"else": _json_numbers},
    ),
    "benchmark": _params(
        scope=st.sampled_from(["group", "all"]),
        direction=st.sampled_from(["higher", "lower"]),
    ),
    "rank": _params(
        step=_json_numbers,
        min=_json_numbers,
        scores=st.lists(_json_numbers, max_size=4),
    ),
    "deduct": _params(per=_json_numbers, per_type=_per_type, repeat=_repeat),
    "grade": _params(
        grades=st.dictionaries(st.sampled_from(list("ABCD")), _json_numbers, min_size=1)
    ),
    "checklist": _params(
        items=st.lists(
            st.fixed_dictionaries({"id": texts(4), "points": _json_numbers}), max_size=4
        )
    ),
    "manual": _params(max=_json_numbers),
    "formula": _params(
        expr=st.sampled_from(["if(vmax > 0, P * v / vmax, 0)", "min(P, v/t*P)", "P*r"]),
        lo=_json_numbers,
        hi=_json_numbers,
    ),
    "awards": _params(
        levels=st.dictionaries(
            st.sampled_from(["national", "provincial", "市级"]), _json_numbers
        ),
        highest_only=st.booleans(),
        max=_json_numbers,
    ),
    "events": _params(
        per_type=_per_type,
        per=_json_numbers,
        repeat=_repeat,
        max=_json_numbers,
        extra=json_values,
    ),
}
methods = st.sampled_from(sorted(_METHOD_PARAMS)).flatmap(
    lambda kind: _METHOD_PARAMS[kind].map(lambda params: {"type": kind, **params})
)
evidence = st.lists(
    st.builds(
        lambda name, count: (
            {"name": name} if count is None else {"name": name, "min": count}
        ),
        names.filter(lambda s: not set(s) & set(";；×*")),  # the cell's separators
        st.none() | st.integers(1, 5),
    ),
    max_size=3,
)


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"name": names, "role": st.sampled_from(sorted(ROLES))},
        optional={
            "points": numbers,
            "department": codes,
            "groups": st.lists(codes, min_size=1, max_size=3),
            "target": numbers,
            "unit": loose_texts,
            "method": methods,
            "evidence": evidence,
            "criteria": loose_texts,
            "na_policy": st.sampled_from(sorted(NA_POLICIES)),
            "na_score": numbers,
        },
    )


def _category() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"name": names}, optional={"points": numbers, "scaled": st.booleans()}
    )


@st.composite
def indicator_trees(draw: st.DrawFn) -> list[dict[str, Any]]:
    deepest = draw(st.integers(1, 5))

    def node(depth: int, chain: bool = False) -> dict[str, Any]:
        if chain or (depth < deepest and draw(st.booleans())):
            category = draw(_category())
            size = draw(st.integers(0, 2))
            category["children"] = [node(depth + 1) for _ in range(size)]
            if chain and depth + 1 < deepest:
                category["children"].append(node(depth + 1, chain=True))
            elif chain:
                category["children"].append(draw(_leaf()))
            return category
        return draw(_leaf())

    roots = [node(1) for _ in range(draw(st.integers(0, 3)))]
    if deepest > 1:
        roots.insert(draw(st.integers(0, len(roots))), node(1, chain=True))
    elif not roots:
        roots.append(draw(_leaf()))
    all_nodes = list(_walk(roots))
    unique_codes = draw(
        st.lists(codes, min_size=len(all_nodes), max_size=len(all_nodes), unique=True)
    )
    for found, code in zip(all_nodes, unique_codes, strict=True):
        found["code"] = code
    _rename_twins(roots)
    return roots


def _walk(nodes: list[dict[str, Any]]) -> Any:
    for found in nodes:
        yield found
        yield from _walk(found.get("children", []))


def _rename_twins(nodes: list[dict[str, Any]]) -> None:
    """Siblings may not share a name (the importer refuses it)."""
    seen: set[str] = set()
    for index, found in enumerate(nodes):
        if found["name"].strip() in seen:
            found["name"] = f"{found['name'].strip()}{index}"
        seen.add(found["name"].strip())
        _rename_twins(found.get("children", []))


def entries(**extra: st.SearchStrategy[Any]) -> st.SearchStrategy[list[dict[str, Any]]]:
    """code/name lists with unique codes and names."""
    return st.lists(
        st.fixed_dictionaries({"code": codes, "name": names}, optional=extra),
        max_size=4,
        unique_by=(lambda e: e["code"], lambda e: e["name"].strip()),
    )


_dates = st.dates(date(1890, 1, 1), date(2100, 12, 31)).map(date.isoformat)
_weights = st.one_of(
    st.decimals(Decimal("0.001"), 10, places=3),
    st.integers(1, 3),
    st.builds("{}/{}".format, st.integers(1, 9), st.integers(1, 9)),
)


@st.composite
def periods(draw: st.DrawFn) -> list[dict[str, Any]]:
    found = draw(entries(start=_dates, end=_dates))
    for period in found:
        if len(found) > 1 and draw(st.booleans()):
            others = [p["code"] for p in found if p is not period]
            parts = draw(st.lists(st.sampled_from(others), min_size=1, max_size=3))
            period["composition"] = [
                {"period": code, "weight": draw(_weights)} for code in parts
            ]
    return found


def _settings() -> dict[str, st.SearchStrategy[Any]]:
    return {
        "year": st.integers(2000, 2100),
        "precision": st.integers(0, 4),
        "rounding": st.sampled_from(["item", "final"]),
        "na_policy": st.sampled_from(sorted(NA_POLICIES)),
        "bonus_cap": st.none() | numbers,
        "penalty_cap": st.none() | numbers,
        "tie_break": st.lists(
            st.sampled_from(["basic", "bonus", "penalty"]), unique=True
        ),
        "grade_scope": st.sampled_from(["group", "all"]),
        "veto": st.fixed_dictionaries(
            {},
            optional={
                "max_grade": codes,
                "grade_drop": st.integers(0, 3),
                "total": st.sampled_from(["keep", "zero"]),
                "rank": st.sampled_from(["keep", "last"]),
            },
        ),
        "departments": entries(),
        "groups": entries(),
        "periods": periods(),
        "grades": entries(min=numbers, quota=numbers, count=st.integers(0, 50)),
    }


plans = st.fixed_dictionaries(
    {
        "format": st.just(PLAN_FORMAT),
        "code": codes,
        "name": names,
        "indicators": indicator_trees(),
    },
    optional=_settings(),
)

ROUND_TRIP = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- round trips ----------------------------------------------------------------


def test_the_worked_example_round_trips() -> None:
    back = plan_from_xlsx(plan_to_xlsx(PLAN))
    assert back == canonical_plan(PLAN)
    assert_exact(back)
    assert back["indicators"][0]["children"][0]["method"] == {
        "type": "ratio",
        "cap": 1,
        "floor": Decimal("0.5"),
        "excess": {"step": Decimal("0.1"), "points": 1, "max": 3},
    }


def test_floats_from_plain_json_come_back_as_decimals() -> None:
    plan = load_demo("plan-2026.json", parse_float=float)
    back = plan_from_xlsx(plan_to_xlsx(plan))
    assert back == canonical_plan(plan) == canonical_plan(PLAN)
    assert_exact(back)


@ROUND_TRIP
@given(plans)
def test_generated_plans_round_trip(plan: dict[str, Any]) -> None:
    back = plan_from_xlsx(plan_to_xlsx(plan))
    assert back == canonical_plan(plan)
    assert_exact(back)


def test_the_canonical_form() -> None:
    plan = {
        "code": " p ",
        "name": "方案\r\n二",
        "penalty_cap": None,
        "bonus_cap": 2.5,
        "year": "2026",
        "tie_break": [],
        "veto": {"max_grade": None},
        "indicators": [
            {"code": "A", "name": "甲", "children": [], "points": "10.50"},
            {
                "code": "B",
                "name": "乙",
                "role": "basic",
                "evidence": [],
                "method": {"type": "ratio", "cap": 1.0, "x": "0.5"},
            },
        ],
    }
    assert canonical_plan(plan) == {
        "format": PLAN_FORMAT,
        "code": "p",
        "name": "方案\n二",
        "bonus_cap": Decimal("2.5"),
        "year": 2026,
        "indicators": [
            {"code": "A", "name": "甲", "children": [], "points": Decimal("10.50")},
            {
                "code": "B",
                "name": "乙",
                "role": "basic",
                "method": {"type": "ratio", "cap": Decimal("1.0"), "x": "0.5"},
            },
        ],
    }


def test_categories_scaled_parts_and_na_rules_round_trip() -> None:
    plan = {
        "format": PLAN_FORMAT,
        "code": "p",
        "name": "方案",
        "indicators": [
            {
                "code": "F",
                "name": "现场考核",
                "points": 85,
                "scaled": True,
                "children": [
                    {
                        "code": "F1",
                        "name": "台账",
                        "role": "basic",
                        "points": 100,
                        "method": {"type": "manual"},
                        "groups": ["jd", "nyz"],
                        "na_policy": "fixed",
                        "na_score": Decimal("80.5"),
                    },
                ],
            },
            {
                "code": "Q",
                "name": "问卷",
                "points": 15,
                "scaled": False,
                "children": [],
            },
            {
                "code": "X",
                "name": "顶层加分",
                "role": "bonus",
                "method": {"type": "manual", "max": 2},
            },
        ],
        "periods": [
            {
                "code": "2026H1",
                "name": "上半年",
                "start": "2026-01-01",
                "end": "2026-06-30",
            },
            {
                "code": "2026",
                "name": "年度",
                "composition": [
                    {"period": "2026H1", "weight": "1/3"},
                    {"period": "2026YE", "weight": Decimal("0.7")},
                ],
            },
        ],
    }
    back = plan_from_xlsx(plan_to_xlsx(plan))
    assert back == canonical_plan(plan)
    assert back["indicators"][1]["children"] == []
    assert back["periods"][1]["composition"][0]["weight"] == "1/3"


# -- layout ------------------------------------------------------------------------


def _sheet(data: bytes, title: str) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))[title]


def test_the_layout_county_offices_know() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(PLAN_BYTES))
    assert wb.sheetnames == ["考核细则", "方案", "等次", "类别", "部门", "周期", "说明"]
    ws = wb["考核细则"]
    header = [c.value for c in ws[1]]
    assert header == [
        "一级指标", "二级指标", "三级指标", "编码", "分值", "类型", "折算", "计分方法",
        "参数", "目标值", "单位", "牵头部门", "适用类别", "评分标准", "佐证材料",
        "无此项计分", "无此项分值",
    ]  # fmt: skip
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["N"].width >= 40  # 评分标准
    assert ws["N3"].alignment.wrap_text
    assert [ws["A2"].value, ws["D2"].value, ws["E2"].value, ws["F2"].value] == [
        "经济建设",
        "A",
        40,
        None,
    ]
    assert ws["A2"].font.b  # categories stand out
    row = {h: c.value for h, c in zip(header, ws[3], strict=True)}
    assert row["二级指标"] == "招商引资实际到位资金"
    assert row["类型"] == "基本项"
    assert row["计分方法"] == "比例"
    assert (
        row["参数"] == '{"cap":1,"floor":0.5,"excess":{"step":0.1,"points":1,"max":3}}'
    )
    assert row["佐证材料"] == "资金到位凭证×1;项目合同×1"
    assert ws["M6"].value == "gyz、nyz"  # 适用类别 of A4
    settings_sheet = {r[0].value: r[1].value for r in wb["方案"].iter_rows(min_row=2)}
    assert settings_sheet["方案编码"] == "2026-xz"
    assert settings_sheet["同分排序"] == "基本分、扣分"
    assert settings_sheet["一票否决排名"] == "排最后"
    assert settings_sheet["扣分上限"] is None
    assert wb["周期"]["C2"].value == datetime(2026, 1, 1)
    assert wb["周期"]["C2"].number_format == "yyyy-mm-dd"


def test_deeper_plans_get_more_level_columns() -> None:
    deep: dict[str, Any] = {"code": "L5", "name": "五级", "role": "basic"}
    for level in range(4, 0, -1):
        deep = {"code": f"L{level}", "name": f"{level}级", "children": [deep]}
    data = plan_to_xlsx({"code": "p", "name": "p", "indicators": [deep]})
    header = [c.value for c in _sheet(data, "考核细则")[1]]
    assert header[:6] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "四级指标",
        "五级指标",
        "编码",
    ]
    assert plan_from_xlsx(data)["indicators"] == [deep]
    assert [level_header(n) for n in (10, 11, 20, 23)] == [
        "十级指标",
        "十一级指标",
        "二十级指标",
        "二十三级指标",
    ]


TRICKY = [
    "=1+1",
    '=HYPERLINK("http://evil.example","点我")',
    "+86 123",
    "-5",
    "@SUM(A1)",
    "#N/A",
    "001",
    "2026-1",
    "TRUE",
]


def test_text_that_looks_like_a_formula_stays_text() -> None:
    plan = {
        "code": "=cmd|' /C calc'!A0",
        "name": TRICKY[1],
        "departments": [
            {"code": f"d{i}", "name": text} for i, text in enumerate(TRICKY)
        ],
        "indicators": [
            {
                "code": "@A",
                "name": "-负责人",
                "role": "basic",
                "unit": "+",
                "criteria": "=SUM(A1:A9)",
            }
        ],
    }
    data = plan_to_xlsx(plan)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    ws = _sheet(data, "部门")
    for row, text in enumerate(TRICKY, start=2):
        assert ws.cell(row=row, column=2).value == text
        assert ws.cell(row=row, column=2).data_type == "s"
    assert ws["B2"].quotePrefix and ws["B5"].quotePrefix and ws["B8"].quotePrefix
    assert plan_from_xlsx(data) == canonical_plan(plan)


def test_numbers_finer_than_excel_keeps_are_written_as_text() -> None:
    fine = Decimal("0.1234567890123456789")
    data = plan_to_xlsx(
        {"code": "p", "name": "p", "bonus_cap": fine, "year": 10**17, "indicators": []}
    )
    settings_sheet = {
        r[0].value: r[1].value for r in _sheet(data, "方案").iter_rows(min_row=2)
    }
    assert settings_sheet["加分上限"] == "0.1234567890123456789"
    back = plan_from_xlsx(data)
    assert back["bonus_cap"] == fine and back["year"] == 10**17


@pytest.mark.parametrize(
    ("plan", "path", "code"),
    [
        (
            {"code": "p", "name": "p", "indicators": [], "extra": 1},
            "extra",
            "unsupported_field",
        ),
        (
            {
                "code": "p",
                "name": "p",
                "indicators": [
                    {"code": "A", "name": "a", "role": "basic", "weight": 1}
                ],
            },
            "indicators[0].weight",
            "unsupported_field",
        ),
        (
            {
                "code": "p",
                "name": "p",
                "indicators": [{"code": "A", "name": " ", "role": "basic"}],
            },
            "indicators[0].name",
            "required",
        ),
        (
            {
                "code": "p",
                "name": "p",
                "indicators": [{"code": "A", "name": "a", "groups": ["jd、nyz"]}],
            },
            "indicators[0].groups[0]",
            "separator_in_text",
        ),
        (
            {
                "code": "p",
                "name": "p",
                "indicators": [{"code": "A", "name": "a", "groups": []}],
            },
            "indicators[0].groups",
            "empty_list",
        ),
        (
            {
                "code": "p",
                "name": "p",
                "indicators": [
                    {
                        "code": "A",
                        "name": "a",
                        "evidence": [{"name": "照片×张", "min": 1}],
                    }
                ],
            },
            "indicators[0].evidence[0].name",
            "separator_in_text",
        ),
        ({"code": "p", "name": "p\x07", "indicators": []}, "name", "illegal_character"),
        (
            {"code": "p", "name": "长" * 40000, "indicators": []},
            "name",
            "text_too_long",
        ),
        (
            {"code": "p", "name": "p", "year": "二〇二六", "indicators": []},
            "year",
            "not_a_number",
        ),
        ({"code": "p", "name": "p", "indicators": "A"}, "indicators", "not_a_list"),
        (
            {
                "code": "p",
                "name": "p",
                "periods": [
                    {
                        "code": "Y",
                        "name": "y",
                        "composition": [{"period": "a;b", "weight": 1}],
                    }
                ],
                "indicators": [],
            },
            "periods[0].composition[0].period",
            "separator_in_text",
        ),
    ],
)
def test_export_refuses_what_a_sheet_cannot_hold(
    plan: dict[str, Any], path: str, code: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        plan_to_xlsx(plan)
    assert (path, code) in {(p.path, p.code) for p in exc.value.problems}


def test_method_params_may_hold_any_json_text() -> None:
    method = {
        "type": "formula",
        "expr": "if(v < 0, 0, v)",
        "注释": "含\x01控制字符\ufffe与换行\r\n",
        "n": None,
    }
    plan = {
        "code": "p",
        "name": "p",
        "indicators": [{"code": "A", "name": "a", "role": "basic", "method": method}],
    }
    assert plan_from_xlsx(plan_to_xlsx(plan))["indicators"][0]["method"] == method


# -- import problems ------------------------------------------------------------------


def _cell(sheet: str, ref: str, value: Any) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb[sheet][ref] = value

    return change


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("95分", "不要带单位"),
        ("９５", "半角"),
        ("1,286", "千位分隔符"),
        ("九十五", ""),
        ("30%", "0.3"),
        ("1e3", ""),
        (True, ""),
        (datetime(2026, 1, 1), "日期"),
    ],
)
def test_a_number_column_refuses_text_that_is_not_a_number(
    value: Any, hint: str
) -> None:
    problem = only(
        problems_of(edit(PLAN_BYTES, _cell("考核细则", "E3", value))), "not_a_number"
    )
    assert problem.path == "考核细则!E3"
    assert problem.message.startswith("考核细则 第3行 “分值”列:")
    if isinstance(value, str):
        assert problem.message.startswith(f"考核细则 第3行 “分值”列:“{value}”不是数字")
    assert hint in problem.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),  # a number typed as text is a number
        (" 12.50 ", Decimal("12.50")),
        (12.0, 12),
        (0.30000000000000004, Decimal("0.3")),  # what Excel displays
        (3.475, Decimal("3.475")),
        (-0.0, 0),
    ],
)
def test_a_number_column_reads_numbers_as_excel_shows_them(
    value: Any, expected: Any
) -> None:
    back = plan_from_xlsx(edit(PLAN_BYTES, _cell("考核细则", "E3", value)))
    points = back["indicators"][0]["children"][0]["points"]
    assert points == expected and type(points) is type(expected)


def test_merged_cells_are_refused_by_range() -> None:
    problem = only(
        problems_of(edit(PLAN_BYTES, lambda wb: wb["考核细则"].merge_cells("A2:A6"))),
        "merged_cells",
    )
    assert problem.path == "考核细则!A2:A6"
    assert "A2:A6" in problem.message and "合并" in problem.message


def test_formulas_are_refused_by_cell() -> None:
    def change(wb: Workbook) -> None:
        wb["考核细则"]["N3"] = '=HYPERLINK("http://evil.example","点我")'
        wb["考核细则"]["E4"] = "=5+5"
        wb["方案"]["B4"] = "=2025+1"

    problems = problems_of(edit(PLAN_BYTES, change))
    assert {(p.path, p.code) for p in problems} == {
        ("考核细则!N3", "formula"),
        ("考核细则!E4", "formula"),
        ("方案!B4", "formula"),
    }
    assert "HYPERLINK" in next(p.message for p in problems if p.path == "考核细则!N3")


def test_every_problem_is_listed_and_nothing_returned() -> None:
    def change(wb: Workbook) -> None:
        ws = wb["考核细则"]
        ws["E3"] = "12分"
        ws["H4"] = "比率"
        ws["I5"] = "{“step”：1}"
        ws["D6"] = "A1"
        wb["方案"]["B4"] = "2026年"
        wb["周期"]["C3"] = 46023
        wb["周期"]["C3"].number_format = "General"  # a bare serial, not a date cell
        wb["等次"]["A4"] = "excellent"

    problems = problems_of(edit(PLAN_BYTES, change))
    assert [(p.path, p.code) for p in problems] == [
        ("方案!B4", "not_a_number"),
        ("等次!A4", "duplicate"),
        ("周期!C3", "date_serial"),
        ("考核细则!E3", "not_a_number"),
        ("考核细则!H4", "unknown_value"),
        ("考核细则!I5", "bad_json"),
        ("考核细则!D6", "duplicate"),
    ]
    messages = {p.path: p.message for p in problems}
    assert messages["考核细则!H4"].startswith(
        "考核细则 第4行 “计分方法”列:“比率”不是可选的计分方法"
    )
    assert "半角" in messages["考核细则!I5"]
    assert messages["考核细则!D6"] == "考核细则 第6行 “编码”列:“A1”与第3行重复"
    assert "2026-02-03" in messages["周期!C3"]
    assert messages["等次!A4"] == "等次 第4行 “编码”列:“excellent”与第2行重复"


def test_blank_rows_are_skipped_and_spaces_trimmed() -> None:
    def change(wb: Workbook) -> None:
        ws = wb["考核细则"]
        ws.insert_rows(3, amount=2)
        ws["B3"] = "   "  # whitespace only: still blank
        ws["B5"] = "招商引资实际到位资金   "
        ws["D5"] = " A1 "

    assert plan_from_xlsx(edit(PLAN_BYTES, change)) == canonical_plan(PLAN)


def test_english_codes_and_chinese_labels_are_both_accepted() -> None:
    def change(wb: Workbook) -> None:
        ws = wb["考核细则"]
        ws["F3"], ws["H3"], ws["P3"], ws["G2"] = "basic", "ratio", "full", "否"

    back = plan_from_xlsx(edit(PLAN_BYTES, change))
    first = back["indicators"][0]
    assert first["scaled"] is False
    assert (
        first["children"][0]["role"],
        first["children"][0]["method"]["type"],
        first["children"][0]["na_policy"],
    ) == ("basic", "ratio", "full")


@pytest.mark.parametrize(
    ("change", "path", "code", "words"),
    [
        (
            _cell("考核细则", "N30", "孤立的一行评分标准"),
            "考核细则!30",
            "no_name",
            "未填写指标名称",
        ),
        (
            _cell("考核细则", "C3", "又一个名称"),
            "考核细则!C3",
            "two_levels",
            "二级指标",
        ),
        (_cell("考核细则", "A2", None), "考核细则!B3", "level_gap", "上方没有一级指标"),
        (
            _cell("考核细则", "B4", "招商引资实际到位资金"),
            "考核细则!B4",
            "duplicate",
            "名称重复",
        ),
        (_cell("考核细则", "D3", None), "考核细则!D3", "required", "未填写"),
        (_cell("考核细则", "R1", "备注"), "考核细则!R1", "unknown_column", "备注"),
        (
            _cell("考核细则", "T9", "无列名的内容"),
            "考核细则!T9",
            "unknown_column",
            "没有列名",
        ),
        (_cell("考核细则", "D1", "指标编码"), "考核细则!1", "missing_column", "编码"),
        (_cell("考核细则", "K1", "编码"), "考核细则!K1", "duplicate_column", None),
        (_cell("考核细则", "I3", None), "考核细则!I4", None, None),
        (_cell("考核细则", "H3", None), "考核细则!I3", "params_without_method", None),
        (
            _cell("考核细则", "O3", "资金到位凭证×一份"),
            "考核细则!O3",
            "bad_syntax",
            "份数",
        ),
        (_cell("考核细则", "G2", "对"), "考核细则!G2", "unknown_value", "是"),
        (
            _cell("方案", "A20", "考核对象"),
            "方案!A20",
            "unknown_value",
            "不是可设置的项目",
        ),
        (_cell("方案", "A20", "年度"), "方案!A20", "duplicate", None),
        (_cell("方案", "B2", None), "方案!B2", "required", "方案编码"),
        (_cell("周期", "C2", "2026/01/01"), "周期!C2", "not_a_date", "2026-02-03"),
        (_cell("周期", "C2", "2026-02-30"), "周期!C2", "not_a_date", "有效"),
        (
            _cell("周期", "C2", datetime(2026, 1, 1, 8, 30)),
            "周期!C2",
            "date_has_time",
            None,
        ),
        (
            _cell("周期", "E2", "2026H1*0.3;2026YE"),
            "周期!E2",
            "bad_syntax",
            "周期编码×权重",
        ),
        (_cell("部门", "B3", "县发改委"), "部门!B3", "duplicate", "名称重复"),
    ],
)
def test_import_problems_name_sheet_row_and_column(
    change: Callable[[Workbook], None], path: str, code: str | None, words: str | None
) -> None:
    if code is None:  # the change is fine: 参数 is optional
        plan_from_xlsx(edit(PLAN_BYTES, change))
        return
    problems = problems_of(edit(PLAN_BYTES, change))
    assert (path, code) in {(p.path, p.code) for p in problems}, problems
    if words:
        assert words in next(
            p.message for p in problems if p.path == path and p.code == code
        )


def test_text_dates_are_accepted() -> None:
    back = plan_from_xlsx(edit(PLAN_BYTES, _cell("周期", "C2", "2026-01-01")))
    assert back["periods"][0]["start"] == "2026-01-01"


def test_sheets_are_checked() -> None:
    def change(wb: Workbook) -> None:
        wb.create_sheet("草稿")
        del wb["方案"]

    problems = problems_of(edit(PLAN_BYTES, change))
    assert {(p.path, p.code) for p in problems} == {
        ("草稿", "unknown_sheet"),
        ("方案", "missing_sheet"),
    }


def test_optional_plan_sheets_read_as_absent_keys() -> None:
    def change(wb: Workbook) -> None:
        for title in ("等次", "类别", "部门", "周期", "说明"):
            del wb[title]

    back = plan_from_xlsx(edit(PLAN_BYTES, change))
    assert not {"grades", "groups", "departments", "periods"} & set(back)


def test_a_period_data_workbook_is_not_a_plan() -> None:
    data = period_data_to_xlsx(load_demo("data-2026Q1.json"))
    problem = only(problems_of(data), "wrong_format")
    assert problem.message == "这是考核数据文件,不是考核方案文件"


def test_import_never_mutates_or_shares_state() -> None:
    before = copy.deepcopy(PLAN)
    first, second = plan_from_xlsx(PLAN_BYTES), plan_from_xlsx(PLAN_BYTES)
    first["indicators"][0]["children"].clear()
    assert second == canonical_plan(PLAN) and before == PLAN


def test_method_names_cover_every_method_of_the_spec() -> None:
    assert set(METHODS) == {
        "ratio", "tiers", "benchmark", "rank", "deduct", "grade", "checklist",
        "manual", "formula", "awards", "events",
    }  # fmt: skip


def test_reading_a_sheet_creates_no_cells_beyond_its_used_range() -> None:
    from indicators.xlsx.sheets import header_texts

    ws = openpyxl.load_workbook(io.BytesIO(PLAN_BYTES))["考核细则"]
    width = ws.max_column
    assert header_texts(ws)[:2] == ["一级指标", "二级指标"]
    assert ws.max_column == width
