"""The `formula` expression language (spec section 4): values, text, refusals."""

from __future__ import annotations

import pickle
import re
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import formula as formula_module
from indicators.formula import (
    FUNCTIONS,
    VARIABLES,
    Formula,
    FormulaError,
    parse_formula,
)

F = Fraction
# v=3, t=4 so r=3/4; P=20; the scope's values run 1..6 around a mean of 3.
ENV: dict[str, Fraction] = {
    "v": F(3),
    "t": F(4),
    "P": F(20),
    "r": F(3, 4),
    "vmax": F(6),
    "vmin": F(1),
    "vmean": F(3),
    "n": F(5),
}


def value(source: str, env: Mapping[str, Fraction] = ENV) -> Fraction:
    return parse_formula(source).evaluate(env)


def refusal(source: str) -> FormulaError:
    with pytest.raises(FormulaError) as caught:
        parse_formula(source)
    return caught.value


def test_public_names() -> None:
    assert {"v", "t", "P", "r", "vmax", "vmin", "vmean", "n"} == VARIABLES
    assert {"min", "max", "clamp", "floor", "ceil", "abs", "round", "if"} == FUNCTIONS


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("12", F(12)),
        ("0.85", F(17, 20)),
        ("1 + 2 * 3", F(7)),  # * before +: 1 + 6
        ("(1 + 2) * 3", F(9)),
        ("10 - 4 - 3", F(3)),  # left to right: (10 - 4) - 3
        ("10 - (4 - 3)", F(9)),
        ("12 / 3 / 2", F(2)),  # (12 / 3) / 2
        ("12 / (3 / 2)", F(8)),
        ("2 + 12 / 4 * 3", F(11)),  # 2 + ((12 / 4) * 3)
        ("-2 * 3", F(-6)),
        ("2 * -3", F(-6)),  # unary minus may follow * directly
        ("--3", F(3)),  # -(-3)
        ("- - -3", F(-3)),
        ("2 - -3", F(5)),
        ("-v + t", F(1)),  # (-3) + 4
        ("1 + 1 == 2", F(1)),  # comparisons are looser than +
        ("not 1 + 1 == 2", F(0)),  # not((1 + 1) == 2) -> not 1 -> 0
        ("not 0", F(1)),
        ("not 5", F(0)),  # any non-zero number is true
        ("not not 5", F(1)),
        ("not -0.5", F(0)),
        ("1 < 2", F(1)),
        ("2 < 1", F(0)),
        ("1 <= 1", F(1)),
        ("1 >= 2", F(0)),
        ("2 > 1", F(1)),
        ("1 != 2", F(1)),
        ("1 == 1.0", F(1)),
        ("1 < 2 < 3", F(1)),  # 1 < 2 and 2 < 3
        ("1 < 3 < 2", F(0)),  # 1 < 3 and 3 < 2
        ("(1 < 3) < 2", F(1)),  # (1) < 2: brackets break the chain
        ("3 > 2 > 1", F(1)),
        ("1 < 2 > 1", F(1)),  # 1 < 2 and 2 > 1
        ("2 == 2 == 2", F(1)),  # 2 == 2 and 2 == 2
        ("(2 == 2) == 2", F(0)),  # 1 == 2
        ("3 < 2 < 1 / 0", F(0)),  # stops at the first false link
        ("0 < v < t", F(1)),  # 0 < 3 < 4
        ("0 or 0", F(0)),
        ("0 or 7", F(1)),  # 1, not Python's 7
        ("2 and 3", F(1)),  # 1, not Python's 3
        ("2 and 0", F(0)),
        ("1 or 1 and 0", F(1)),  # and binds tighter: 1 or (1 and 0)
        ("(1 or 1) and 0", F(0)),
        ("not 0 and 0", F(0)),  # (not 0) and 0
        ("not (0 and 0)", F(1)),
        ("not 1 or 1", F(1)),  # (not 1) or 1
        ("1 + 2 > 2 and 3 * 2 == 6", F(1)),  # (3 > 2) and (6 == 6)
        ("v >= 3 and v <= 3 or 0", F(1)),
        ("v / 0", F(0)),  # spec: x/0 is 0
        ("(v - 3) / (t - 4)", F(0)),  # 0/0 is 0 as well
        ("1 / (v - 3) + 2", F(2)),  # 0 + 2
        ("r * P", F(15)),  # 3/4 * 20
        ("vmean * n - vmin", F(14)),
        ("min(3, 1, 2)", F(1)),
        ("max(v)", F(3)),
        ("max(v, t, 1)", F(4)),
        ("clamp(5, 0, 2)", F(2)),
        ("clamp(-1, 0, 2)", F(0)),
        ("clamp(1.5, 0, 2)", F(3, 2)),
        ("floor(-1.5)", F(-2)),
        ("floor(1.5)", F(1)),
        ("floor(2)", F(2)),
        ("ceil(-1.5)", F(-1)),
        ("ceil(1.2)", F(2)),
        ("abs(-2.5)", F(5, 2)),
        ("abs(v - t)", F(1)),
        ("round(3.475, 2)", F(348, 100)),  # half away from zero: 3.48
        ("round(-3.475, 2)", F(-348, 100)),
        ("round(-2.5, 0)", F(-3)),
        ("round(2.5, 0)", F(3)),
        ("round(2.4999, 0)", F(2)),
        ("round(1 / 3, 3)", F(333, 1000)),
        ("round(v / 3, 2)", F(1)),
        ("if(0, 1 / 0, 2)", F(2)),
        ("if(1, 7, 1 / 0)", F(7)),
        ("if(-0.1, 1, 2)", F(1)),  # non-zero is true
        ("if(v > t, P, P / 2)", F(10)),
        ("if(vmax > 0, P * v / vmax, 0)", F(10)),  # 20 * 3 / 6
        ("min(P, 1.5 * P * r)", F(20)),  # min(20, 22.5)
    ],
)
def test_values(source: str, expected: Fraction) -> None:
    result = value(source)
    assert result == expected
    assert type(result) is Fraction


def test_arithmetic_is_exact() -> None:
    # 3 × 13.9 ÷ 12 = 3.475 exactly, and publishes as 3.48 (spec section 1).
    assert value("3 * 13.9 / 12") == F(139, 40)
    assert value("13.9 / 12 * 3") == F(139, 40)
    assert value("round(3 * 13.9 / 12, 2)") == F(348, 100)
    assert value("0.1 + 0.2 == 0.3") == 1  # false in binary floating point


def test_worked_example_with_an_empty_scope() -> None:
    zero_scope = {**ENV, "vmax": F(0)}
    assert value("if(vmax > 0, P * v / vmax, 0)", zero_scope) == 0


def test_unary_minus_binds_tighter_than_times() -> None:
    tree = parse_formula("-v * t").tree
    assert tree == parse_formula("(-v) * t").tree
    assert tree != parse_formula("-(v * t)").tree


def test_spaces_are_free() -> None:
    assert value("v+t*P") == value(" v \t+ t\n* P ") == F(83)
    assert value("round( v/3 ,2 )") == 1


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("  v+t*P ", "v + t * P"),
        ("((v))", "v"),
        ("(v + t) * P", "(v + t) * P"),
        ("v - (t - P)", "v - (t - P)"),
        ("-(v)", "-v"),
        ("-(v * t)", "-(v * t)"),
        ("- -v", "--v"),
        ("not(v and t)", "not (v and t)"),
        ("not (v < t)", "not v < t"),
        ("(v < t) < P", "(v < t) < P"),
        ("v<t<=P", "v < t <= P"),
        ("(v or t) and P", "(v or t) and P"),
        ("v or (t and P)", "v or t and P"),
        ("round( v/3 ,2 )", "round(v / 3, 2)"),
        ("if(vmax>0,P*v/vmax,0)", "if(vmax > 0, P * v / vmax, 0)"),
        ("0.850 + 007 + 0.0", "0.85 + 7 + 0"),
        ("max(v,t)", "max(v, t)"),
    ],
)
def test_describe(source: str, canonical: str) -> None:
    assert parse_formula(source).describe() == canonical
    assert parse_formula(canonical).describe() == canonical


def test_variables() -> None:
    assert parse_formula("if(vmax > 0, P * v / vmax, 0)").variables() == {
        "vmax",
        "P",
        "v",
    }
    assert parse_formula("1 + round(2, 0)").variables() == frozenset()


def test_formula_value_object() -> None:
    made = Formula("v + 1")
    assert made == parse_formula("v + 1")
    assert hash(made) == hash(parse_formula("v + 1"))
    assert "v + 1" in repr(made)
    with pytest.raises(FormulaError):
        Formula("v +")


def test_missing_variable_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        parse_formula("v + t").evaluate({"v": F(1)})


def test_floats_are_not_taken() -> None:
    with pytest.raises(TypeError):
        parse_formula("v").evaluate({"v": 0.1})  # type: ignore[dict-item]


# Each refusal: the expression, the 0-based position, text the message must quote.
REFUSED = [
    ("__import__('os')", 0, "“__import__”"),
    ("v.__class__", 1, "“.”"),
    ("1e5", 0, "“1e5”"),
    ("1_000", 0, "“1_000”"),
    (".5", 0, "“.5”"),
    ("5.", 0, "“5.”"),
    ("1.2.3", 0, "“1.2.3”"),
    ("2and 1", 0, "“2and”"),
    ("+3", 0, "“+”"),
    ("v + +3", 4, "“+”"),
    ("９５", 0, "“９”"),
    ("（v）", 0, "“（”"),
    ("\u3000v", 0, "全角"),
    ("95分", 2, "“分”"),
    ("v ** 2", 2, "“**”"),
    ("v // 2", 2, "“//”"),
    ("v % 2", 2, "“%”"),
    ("v = 1", 2, "“==”"),
    ("v ≥ 1", 2, "“>=”"),
    ("v × 2", 2, "“*”"),
    ("v && t", 2, "“and”"),
    ("v @ 1", 2, "“@”"),
    ("lambda", 0, "“lambda”"),
    ("lambda: 1", 0, "“lambda”"),
    ("x", 0, "未知变量“x”,可用变量:v、t、P、r、vmax、vmin、vmean、n"),
    ("p * 2", 0, "“P”"),  # variable names are case-sensitive
    ("v AND t", 2, "“and”"),
    ("Not v", 0, "“Not”"),
    ("True", 0, "“True”"),
    ("foo(1)", 0, "未知函数“foo”"),
    ("min", 0, "“min”"),
    ("min + 1", 0, "“min”"),
    ("v(1)", 0, "“v”"),
    ("vmax (1)", 0, "“vmax”"),
    ("min()", 0, "“min”"),
    ("abs()", 0, "“abs”"),
    ("floor(1, 2)", 0, "“floor”"),
    ("clamp(1, 2)", 0, "“clamp”"),
    ("round(v)", 0, "“round”"),
    ("if(1,2)", 0, "“if”"),
    ("if(1, 2, 3, 4)", 0, "“if”"),
    ("round(v, v)", 9, "“v”"),
    ("round(v, 1.5)", 9, "“1.5”"),
    ("round(v, -1)", 9, "“-1”"),
    ("round(v, 2 + 1)", 9, "“2 + 1”"),
    ("round(v, (2))", 9, "“(2)”"),
    ("round(v, 21)", 9, "“21”"),
    ("min(1,)", 6, "“)”"),
    ("min(1 2)", 6, "“2”"),
    ("min(1, 2", 3, "“(”"),
    ("(v", 0, "“(”"),
    ("((v)", 0, "“(”"),
    ("v)", 1, "“)”"),
    ("(v))", 3, "“)”"),
    ("()", 1, "“)”"),
    ("", 0, "公式为空"),
    ("  \t", 0, "公式为空"),
    ("v v", 2, "“v”"),
    ("1,2", 1, "“,”"),
    ("1 if v else 2", 2, "“if”"),
    ("v +", 3, "不完整"),
    ("1 +* 2", 3, "“*”"),
    ("v < not 1", 4, "“not”"),
    ("-not v", 1, "“not”"),
    ("a[0]", 0, "“a”"),
    ('"str"', 0, '“"”'),
    ("'str'", 0, "“'”"),
    ("(" * 500 + "v" + ")" * 500, 100, "嵌套过深"),
    ("-" * 500 + "v", 100, "嵌套过深"),
    ("1+" * 2500 + "1", 2000, "2000"),
]


@pytest.mark.parametrize(("source", "position", "quoted"), REFUSED)
def test_refused(source: str, position: int, quoted: str) -> None:
    error = refusal(source)
    assert error.position == position
    assert str(error) == error.message
    assert error.message.startswith(f"第{position + 1}个字符处")
    assert quoted in error.message
    assert isinstance(error, ValueError)


def test_error_survives_pickling() -> None:
    error = refusal("v @ 1")
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (again.position, again.message) == (error.position, error.message)


def test_length_limit_is_inclusive() -> None:
    assert value("1+" * 999 + "1") == 1000  # 1999 characters
    assert value(" " * 1999 + "v") == 3  # exactly 2000
    assert refusal(" " * 2000 + "v").position == 2000


def test_nesting_limit() -> None:
    assert value("(" * 100 + "v" + ")" * 100) == 3
    assert value("-" * 100 + "v") == 3
    assert value("abs(" * 100 + "v" + ")" * 100) == 3
    assert refusal("(" * 101 + "v" + ")" * 101).position == 100
    assert "嵌套过深" in refusal("abs(" * 101 + "v" + ")" * 101).message


def test_operator_nesting_is_bounded_without_recursion_errors() -> None:
    # Every bracket level here stacks seven precedence levels of tree.
    level = "v or v and not v < v + v * -("
    outcomes = []
    for count in range(1, 40):
        source = level * count + "v" + ")" * count
        try:
            parsed = parse_formula(source)
        except FormulaError as error:
            assert "嵌套过深" in error.message
            outcomes.append(False)
            continue
        assert parse_formula(parsed.describe()).tree == parsed.tree
        assert parsed.evaluate(ENV) in (0, 1)
        outcomes.append(True)
    assert outcomes[0] and not outcomes[-1]


def test_nothing_is_handed_to_python() -> None:
    text = Path(formula_module.__file__).read_text(encoding="utf-8")
    assert not re.search(r"(?<![.\w])(eval|exec|compile|__import__)\(", text)
    assert not re.search(r"^\s*(import ast|from ast )", text, re.MULTILINE)


# --- round trip -------------------------------------------------------------


def _literal(parts: tuple[int, int]) -> str:
    number, decimals = parts
    whole, fraction = divmod(number, 10**decimals)
    return f"{whole}.{fraction:0{decimals}d}" if decimals else str(whole)


_LITERALS = st.tuples(st.integers(0, 10**5), st.integers(0, 3)).map(_literal)
_LEAVES = _LITERALS | st.sampled_from(sorted(VARIABLES))
_LEVELS = [["or"], ["and"], ["<", "<=", ">", ">=", "==", "!="], ["+", "-"], ["*", "/"]]


@st.composite
def _chain(draw: st.DrawFn, operand: st.SearchStrategy[str]) -> str:
    ops = _LEVELS[draw(st.integers(0, len(_LEVELS) - 1))]
    text = draw(operand)
    for _ in range(draw(st.integers(1, 3))):
        text += f" {draw(st.sampled_from(ops))} {draw(operand)}"
    return f"({text})"


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # Every result reads as one operand (a leaf, a bracket, a call or -x), so
    # any combination of them is well-formed.
    def call(name: str, count: int) -> st.SearchStrategy[str]:
        args = st.lists(inner, min_size=count, max_size=count)
        return args.map(lambda items: f"{name}({', '.join(items)})")

    rounding = st.tuples(inner, st.integers(0, 4))
    return st.one_of(
        _chain(inner),
        inner.map(lambda x: f"-{x}"),
        inner.map(lambda x: f"(not {x})"),
        st.sampled_from(["floor", "ceil", "abs"]).flatmap(lambda n: call(n, 1)),
        st.sampled_from(["min", "max"]).flatmap(lambda n: call(n, 1))
        | st.sampled_from(["min", "max"]).flatmap(lambda n: call(n, 3)),
        call("clamp", 3),
        call("if", 3),
        rounding.map(lambda pair: f"round({pair[0]}, {pair[1]})"),
    )


EXPRESSIONS = st.recursive(_LEAVES, _extend, max_leaves=15)
ENVS = st.fixed_dictionaries(
    {
        name: st.fractions(min_value=-1000, max_value=1000, max_denominator=50)
        for name in sorted(VARIABLES)
    }
)


@settings(deadline=None)
@given(EXPRESSIONS, ENVS)
def test_describe_round_trips(source: str, env: dict[str, Fraction]) -> None:
    parsed = parse_formula(source)
    again = parse_formula(parsed.describe())
    assert again.tree == parsed.tree
    assert again.describe() == parsed.describe()
    result = parsed.evaluate(env)
    assert type(result) is Fraction
    assert again.evaluate(env) == result


@settings(deadline=None)
@given(EXPRESSIONS, ENVS, st.sets(st.sampled_from(sorted(VARIABLES))))
def test_evaluation_only_fails_on_missing_variables(
    source: str, env: dict[str, Fraction], missing: set[str]
) -> None:
    parsed = parse_formula(source)
    partial = {name: number for name, number in env.items() if name not in missing}
    needed = parsed.variables() & missing
    try:
        result = parsed.evaluate(partial)
    except KeyError as error:
        assert needed and error.args[0] in needed
    else:
        assert type(result) is Fraction  # if() or a short circuit skipped them
