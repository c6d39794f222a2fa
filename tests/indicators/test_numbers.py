"""Strict reading of input numbers, exact rounding and printing (spec section 1)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from indicators.errors import ProblemList
from indicators.numbers import (
    MSG_NOT_A_NUMBER,
    Reader,
    dump_json,
    exact_div,
    exact_to_json,
    format_exact,
    format_fixed,
    parse_date,
    parse_number,
    parse_weight,
    publish,
    terminating_decimal,
    ticks_to_decimal,
    to_exact,
    to_ticks,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (3000, 3000),
        (Decimal("3000.5"), Fraction(6001, 2)),
        ("3000.5", Fraction(6001, 2)),
        ("3000", 3000),
        ("-2.25", Fraction(-9, 4)),
        ("0.1", Fraction(1, 10)),
        (Decimal("1E+3"), 1000),  # what parse_float=Decimal gives for 1e3
        ("007", 7),
    ],
)
def test_numbers_are_read_exactly(raw: object, expected: object) -> None:
    value = parse_number(raw)
    assert value == expected
    assert not isinstance(value, float)


def test_whole_numbers_come_back_as_int_for_cheap_arithmetic() -> None:
    assert type(parse_number("12.0")) is int
    assert type(parse_number(Decimal("12.00"))) is int
    assert type(parse_number("0.5")) is Fraction


@pytest.mark.parametrize(
    "raw",
    [
        0.1,  # a binary float: 0.1000000000000000055…
        95.0,
        True,
        False,
        None,
        "95分",
        "９５",  # full-width digits
        "1,286",
        "九十五",
        "1e3",
        " 95",
        "95 ",
        "+95",
        ".5",
        "5.",
        "",
        "NaN",
        Decimal("NaN"),
        Decimal("Infinity"),
        [95],
        {"value": 95},
    ],
)
def test_anything_but_an_ascii_decimal_is_refused(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_number(raw)


def test_a_refused_number_is_reported_where_it_stands() -> None:
    problems = ProblemList()
    reader = Reader({"value": "95分"}, "records[14]", problems, "填报数据 records[14]")
    assert reader.number("value", required=True) is None
    [problem] = problems.problems
    assert problem.path == "records[14].value"
    assert problem.code == "not_a_number"
    assert problem.message == MSG_NOT_A_NUMBER.format(
        owner="填报数据 records[14]", key="value", value="“95分”"
    )


def test_a_float_is_named_as_such() -> None:
    problems = ProblemList()
    Reader({"points": 0.1}, "indicators[0]", problems, "指标 A1").number("points")
    assert "浮点数 0.1" in problems.problems[0].message


def test_bounds_are_checked_and_named() -> None:
    problems = ProblemList()
    reader = Reader({"quota": "1.5", "count": "2.5"}, "grades[0]", problems, "等次 a")
    assert reader.number("quota", above=0, maximum=1) is None
    assert reader.integer("count", minimum=1) is None
    assert [(p.path, p.code) for p in problems.problems] == [
        ("grades[0].quota", "out_of_range"),
        ("grades[0].count", "not_an_integer"),
    ]
    assert "不能大于 1" in problems.problems[0].message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1/3", Fraction(1, 3)),
        ("0.3", Fraction(3, 10)),
        (1, Fraction(1)),
        (Decimal("0.7"), Fraction(7, 10)),
        (Fraction(2, 3), Fraction(2, 3)),
    ],
)
def test_weights_may_be_exact_fractions(raw: object, expected: Fraction) -> None:
    assert parse_weight(raw) == expected


@pytest.mark.parametrize("raw", ["1/0", "1/3.0", "-1/3", "1 / 3", 0.3, "三分之一"])
def test_bad_weights_are_refused(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_weight(raw)


def test_dates_must_be_written_in_full() -> None:
    assert parse_date("2026-03-31") == date(2026, 3, 31)
    for raw in ("20260331", "2026-3-31", "2026-02-30", "2026/03/31", 20260331):
        with pytest.raises(ValueError):
            parse_date(raw)


def test_dividing_first_to_fixed_digits_is_wrong_and_we_do_not() -> None:
    # By hand 3 × 13.9 ÷ 12 = 41.7 ÷ 12 = 3.475, which publishes as 3.48;
    # 13.9 ÷ 12 to four places is 1.1583, × 3 = 3.4749 → 3.47, which is wrong.
    exact = 3 * exact_div(parse_number("13.9"), 12)
    assert exact == Fraction(139, 40)
    assert publish(exact, 2) == Decimal("3.48")


@pytest.mark.parametrize(
    ("value", "precision", "printed"),
    [
        (Fraction(139, 40), 2, "3.48"),  # 3.475 → half away from zero
        (Fraction(-139, 40), 2, "-3.48"),
        (Fraction(-4, 1000), 2, "0.00"),  # a penalty of 0.004: never "-0.00"
        (Fraction(-5, 1000), 2, "-0.01"),
        (Fraction(5, 2), 0, "3"),
        (Fraction(-5, 2), 0, "-3"),
        (12, 2, "12.00"),
        (0, 3, "0.000"),
        (Fraction(1, 3), 4, "0.3333"),
        (Fraction(2, 3), 1, "0.7"),
    ],
)
def test_publishing_rounds_half_away_from_zero(
    value: Fraction | int, precision: int, printed: str
) -> None:
    assert format_fixed(publish(value, precision)) == printed


def test_ticks_are_units_of_the_last_printed_place() -> None:
    assert to_ticks(Fraction(139, 40), 2) == 348
    assert to_ticks(12, 2) == 1200
    assert ticks_to_decimal(-1, 2) == Decimal("-0.01")
    assert str(ticks_to_decimal(0, 2)) == "0.00"


def test_negative_zero_is_printed_without_sign() -> None:
    assert format_fixed(Decimal("-0.00")) == "0.00"


def test_exact_values_print_as_decimals_or_fractions() -> None:
    assert format_exact(Fraction(139, 40)) == "3.475"
    assert format_exact(Fraction(1, 3)) == "1/3"
    assert format_exact(7) == "7"
    assert terminating_decimal(Fraction(1, 3)) is None
    assert exact_to_json(Fraction(3, 10)) == Decimal("0.3")
    assert exact_to_json(Fraction(1, 3)) == "1/3"
    assert to_exact(Decimal("2.50")) == Fraction(5, 2)


def test_dump_json_writes_decimals_as_numbers() -> None:
    data: dict[str, Any] = {
        "a": [1, Decimal("0.30"), {"b": "中文", "c": []}],
        "d": None,
        "e": {},
    }
    text = dump_json(data)
    assert '"a": [\n  1,\n  0.30,' in text
    assert json.loads(text, parse_float=Decimal) == data
    plain = {"x": [1, "二", True, None]}
    assert dump_json(plain) == json.dumps(plain, ensure_ascii=False, indent=1)
    assert dump_json(plain, indent=None) == json.dumps(plain, ensure_ascii=False)
