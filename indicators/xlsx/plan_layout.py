"""The plan workbook's layout: sheet names, columns, labels and notes.

Codes are shown as Chinese labels; the importer accepts either.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from indicators.xlsx.cells import (
    parse_choice,
    parse_date,
    parse_integer,
    parse_number,
    parse_text,
    parse_yes_no,
)
from indicators.xlsx.sheets import Col
from indicators.xlsx.syntax import (
    parse_code_list,
    parse_composition,
    parse_evidence,
    parse_params,
)

PLAN_FORMAT = "assessment-plan/1"
INDICATORS, SETTINGS, GRADES, GROUPS = "考核细则", "方案", "等次", "类别"
DEPARTMENTS, PERIODS = "部门", "周期"

ROLES = {
    "basic": "基本项",
    "bonus": "加分项",
    "penalty": "扣分项",
    "veto": "一票否决项",
}
CATEGORY_MARKS = ("类别", "大项")
METHODS = {
    "ratio": "比例",
    "tiers": "分档",
    "benchmark": "标杆",
    "rank": "排名",
    "deduct": "扣分",
    "grade": "等级",
    "checklist": "清单",
    "manual": "人工评分",
    "formula": "公式",
    "awards": "表彰",
    "events": "事件",
}
NA_POLICIES = {
    "rescale": "按比例折算",
    "full": "计满分",
    "mean": "计平均分",
    "fixed": "计固定分",
}
ROUNDINGS = {"item": "逐项舍入", "final": "最后舍入"}
TIE_BREAKS = {"basic": "基本分", "bonus": "加分", "penalty": "扣分"}
GRADE_SCOPES = {"group": "类别内", "all": "全县"}
VETO_TOTALS = {"keep": "保留", "zero": "计零分"}
VETO_RANKS = {"keep": "保留", "last": "排最后"}

CATEGORY = "__category__"  # what 类型 reads as on a category row
MAX_LEVELS = 50
_NUMERALS = "一二三四五六七八九"


def level_header(level: int) -> str:
    """一级指标 … 九级指标, 十级指标, 十一级指标 … (1 <= level < 100)."""
    tens, ones = divmod(level, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return f"{head}{_NUMERALS[ones - 1] if ones else ''}级指标"


def _labels_of(labels: dict[str, str]) -> str:
    return "、".join(labels.values())


def _parse_role(raw: Any) -> str:
    text = parse_text(raw)
    if text in CATEGORY_MARKS:
        return CATEGORY
    return parse_choice(text, ROLES, "类型(大项留空或填“类别”)")


def _parse_tie_break(raw: Any) -> list[str]:
    return [parse_choice(code, TIE_BREAKS, "排序依据") for code in parse_code_list(raw)]


def _choice(labels: dict[str, str], what: str) -> Callable[[Any], str]:
    return partial(parse_choice, labels=labels, what=what)


DETAIL_COLS = (
    Col("编码", "code", required=True, width=10),
    Col("分值", "points", parse_number, width=8),
    Col(
        "类型",
        "role",
        _parse_role,
        width=12,
        note=f"{_labels_of(ROLES)};大项留空(没有下级的大项填“类别”)",
    ),
    Col("折算", "scaled", parse_yes_no, width=6, note="大项按比例折算计分时填“是”"),
    Col("计分方法", "method", _choice(METHODS, "计分方法"), width=10),
    Col(
        "参数",
        "params",
        parse_params,
        width=40,
        wrap=True,
        note='计分方法的其他参数,JSON 格式,如 {"cap":1,"floor":0.5}',
    ),
    Col("目标值", "target", parse_number, width=10),
    Col("单位", "unit", width=8),
    Col("牵头部门", "department", width=10, note="部门编码,见“部门”表"),
    Col(
        "适用类别",
        "groups",
        parse_code_list,
        width=14,
        note="类别编码,多个用“、”分隔;留空表示适用所有乡镇",
    ),
    Col("评分标准", "criteria", width=50, wrap=True),
    Col(
        "佐证材料",
        "evidence",
        parse_evidence,
        width=30,
        wrap=True,
        note="材料名称×份数,多项用“;”分隔,如 资金到位凭证×1;项目合同×1;"
        "不限份数时只写名称",
    ),
    Col("无此项计分", "na_policy", _choice(NA_POLICIES, "无此项计分方式"), width=12),
    Col(
        "无此项分值",
        "na_score",
        parse_number,
        width=10,
        note="无此项计分为“计固定分”时计的分值",
    ),
)
LEVEL_NOTE = (
    "指标名称写在它所在层级的一列:大项写在“一级指标”,其下的指标写在“二级指标”……"
    "每行只填一列;上级是上方最近的高一级行"
)
INDICATOR_KEYS = frozenset(
    {"code", "name", "role", "points", "scaled", "department", "groups", "target"}
    | {"unit", "method", "evidence", "criteria", "na_policy", "na_score", "children"}
)


def indicator_cols(depth: int) -> list[Col]:
    levels = [
        Col(
            level_header(n),
            f"level{n}",
            width=22,
            wrap=True,
            note=LEVEL_NOTE if n == 1 else "",
        )
        for n in range(1, depth + 1)
    ]
    return levels + list(DETAIL_COLS)


SETTING_ROWS = (
    Col("方案编码", "code", required=True),
    Col("方案名称", "name", required=True),
    Col("年度", "year", parse_integer),
    Col("小数位数", "precision", parse_integer, note="公布得分保留的小数位数,默认 2"),
    Col(
        "舍入方式",
        "rounding",
        _choice(ROUNDINGS, "舍入方式"),
        note=_labels_of(ROUNDINGS),
    ),
    Col(
        "无此项处理",
        "na_policy",
        _choice(NA_POLICIES, "无此项处理"),
        note=_labels_of(NA_POLICIES),
    ),
    Col("加分上限", "bonus_cap", parse_number, note="留空表示不设上限"),
    Col("扣分上限", "penalty_cap", parse_number, note="留空表示不设上限"),
    Col(
        "同分排序",
        "tie_break",
        _parse_tie_break,
        note=f"依次比较,用“、”分隔:{_labels_of(TIE_BREAKS)}",
    ),
    Col(
        "等次范围",
        "grade_scope",
        _choice(GRADE_SCOPES, "等次范围"),
        note=_labels_of(GRADE_SCOPES),
    ),
    Col(
        "一票否决最高等次",
        "veto.max_grade",
        note="等次编码,被否决的乡镇最高只能评此等次",
    ),
    Col(
        "一票否决降等",
        "veto.grade_drop",
        parse_integer,
        note="被否决的乡镇下降的等次数",
    ),
    Col(
        "一票否决总分",
        "veto.total",
        _choice(VETO_TOTALS, "总分处理"),
        note=_labels_of(VETO_TOTALS),
    ),
    Col(
        "一票否决排名",
        "veto.rank",
        _choice(VETO_RANKS, "排名处理"),
        note=_labels_of(VETO_RANKS),
    ),
)
SETTING_CHOICES = {
    "rounding": ROUNDINGS,
    "na_policy": NA_POLICIES,
    "grade_scope": GRADE_SCOPES,
    "veto.total": VETO_TOTALS,
    "veto.rank": VETO_RANKS,
}

_CODE = Col("编码", "code", required=True, width=14)
_NAME = Col("名称", "name", required=True, width=24)
LISTS: tuple[tuple[str, str, tuple[Col, ...]], ...] = (
    (
        "grades",
        GRADES,
        (
            _CODE,
            _NAME,
            Col(
                "最低分",
                "min",
                parse_number,
                note="总分达到此分才能评为该等次;最后一个等次可不填",
            ),
            Col(
                "比例",
                "quota",
                parse_number,
                note="该等次最多占范围内乡镇数的比例,如 0.3",
            ),
            Col("名额", "count", parse_integer, note="该等次最多的乡镇个数"),
        ),
    ),
    ("groups", GROUPS, (_CODE, _NAME)),
    ("departments", DEPARTMENTS, (_CODE, _NAME)),
    (
        "periods",
        PERIODS,
        (
            _CODE,
            _NAME,
            Col("开始日期", "start", parse_date, note="写成 2026-01-01"),
            Col("结束日期", "end", parse_date, note="写成 2026-03-31"),
            Col(
                "组成",
                "composition",
                parse_composition,
                width=30,
                wrap=True,
                note="由其他周期加权合成时填写:周期编码×权重,用“;”分隔,"
                "如 2026H1×0.3;2026YE×0.7;权重可写分数,如 1/3",
            ),
        ),
    ),
)
PLAN_KEYS = (
    {"format", "veto", "indicators"}
    | {c.key for c in SETTING_ROWS}
    | {key for key, _, _ in LISTS}
)
PLAN_NOTES = (
    ("格式", PLAN_FORMAT, "本文件的格式,请勿修改"),
    (INDICATORS, None, "每行一个指标或大项。" + LEVEL_NOTE),
    ("类型", None, f"{_labels_of(ROLES)};大项留空,没有下级的大项填“类别”"),
    ("计分方法", None, _labels_of(METHODS)),
    (
        "参数",
        None,
        '计分方法的其他参数,JSON 格式(英文半角标点),如 {"cap":1,"floor":0.5}',
    ),
    ("佐证材料", None, "材料名称×份数,多项用“;”分隔,如 资金到位凭证×1;项目合同×1"),
    ("适用类别", None, "类别编码,多个用“、”分隔;留空表示适用所有乡镇"),
    ("无此项计分", None, f"{_labels_of(NA_POLICIES)};计固定分时在“无此项分值”填分值"),
    ("数字", None, "只填阿拉伯数字(半角),不带单位、不用千位分隔符;比例写小数,如 0.3"),
    ("日期", None, "写成 2026-02-03,或使用 Excel 的日期格式"),
    ("工作表", None, "不要合并单元格,不要使用公式,不要增加或改名列"),
)
