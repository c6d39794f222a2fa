"""The expression language of the `formula` scoring method (spec section 4).

Expressions arrive inside imported plans, so they are tokenized and parsed here
into a tree of frozen dataclasses and evaluated over exact fractions; nothing is
ever handed to Python's eval. Every refusal is a FormulaError that says, in
Chinese, at which character the problem stands.
"""

from __future__ import annotations

import math
import operator
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

__all__ = ["FUNCTIONS", "VARIABLES", "Formula", "FormulaError", "parse_formula"]

VARIABLE_ORDER = ("v", "t", "P", "r", "vmax", "vmin", "vmean", "n")
FUNCTION_ORDER = ("min", "max", "clamp", "floor", "ceil", "abs", "round", "if")
VARIABLES: frozenset[str] = frozenset(VARIABLE_ORDER)
FUNCTIONS: frozenset[str] = frozenset(FUNCTION_ORDER)

MAX_LENGTH = 2000
# Bounds both the parser's recursion and the tree's height, so neither parsing
# nor evaluate/describe can exhaust Python's stack on a hostile plan.
MAX_DEPTH = 100
MAX_ROUND_DIGITS = 20

ZERO = Fraction(0)
ONE = Fraction(1)

# Binding strength, loosest first, in Python's order.
OR, AND, NOT, CMP, ADD, MUL, NEG, ATOM = range(8)
_COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
_BINARY = {"or": OR, "and": AND, "+": ADD, "-": ADD, "*": MUL, "/": MUL}
_BINARY.update(dict.fromkeys(_COMPARISONS, CMP))
_FIXED_ARITY = {"clamp": 3, "floor": 1, "ceil": 1, "abs": 1, "round": 2, "if": 3}


def _divide(a: Fraction, b: Fraction) -> Fraction:
    return a / b if b else ZERO  # spec: x/0 is 0


_APPLY: dict[str, Callable[[Fraction, Fraction], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _divide,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_FUNCTIONS: dict[str, Callable[[list[Fraction]], Fraction]] = {
    "min": min,
    "max": max,
    "clamp": lambda a: min(max(a[0], a[1]), a[2]),
    "floor": lambda a: Fraction(math.floor(a[0])),
    "ceil": lambda a: Fraction(math.ceil(a[0])),
    "abs": lambda a: abs(a[0]),
}


class FormulaError(ValueError):
    """An expression outside the language; `position` is the 0-based offset."""

    def __init__(self, position: int, detail: str) -> None:
        self.position = position
        self.detail = detail
        self.message = f"第{position + 1}个字符处{detail}"
        super().__init__(self.message)

    def __reduce__(self) -> tuple[type[FormulaError], tuple[int, str]]:
        # Keeps the error intact when a task queue pickles it.
        return (FormulaError, (self.position, self.detail))


# --- tree -------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    # Height of the subtree (a leaf is 0), so the parser can refuse trees too tall
    # to walk.
    depth: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        height = 1 + max((child.depth for child in self.children()), default=-1)
        object.__setattr__(self, "depth", height)

    @property
    def prec(self) -> int:
        return ATOM

    def children(self) -> tuple[Node, ...]:
        return ()

    def evaluate(self, env: Mapping[str, Any]) -> Fraction:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


def _wrap(node: Node, min_prec: int) -> str:
    text = node.describe()
    return f"({text})" if node.prec < min_prec else text


def _truth(flag: bool) -> Fraction:
    return ONE if flag else ZERO


@dataclass(frozen=True)
class Num(Node):
    value: Fraction

    def evaluate(self, env: Mapping[str, Any]) -> Fraction:
        return self.value

    def describe(self) -> str:
        return _decimal(self.value)


@dataclass(frozen=True)
class Var(Node):
    name: str

    def evaluate(self, env: Mapping[str, Any]) -> Fraction:
        value = env[self.name]
        if isinstance(value, float):  # would smuggle binary rounding in
            raise TypeError(f"公式变量{self.name}的值不能是浮点数")
        return Fraction(value)

    def describe(self) -> str:
        return self.name


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-" or "not"
    operand: Node

    @property
    def prec(self) -> int:
        return NEG if self.op == "-" else NOT

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def evaluate(self, env: Mapping[str, Any]) -> Fraction:
        value = self.operand.evaluate(env)
        return -value if self.op == "-" else _truth(not value)

    def describe(self) -> str:
        prefix = "-" if self.op == "-" else "not "
        return prefix + _wrap(self.operand, self.prec)


@dataclass(frozen=True)
class Chain(Node):
    """`first op x op y …`, all operators of one precedence level."""

    first: Node
    rest: tuple[tuple[str, Node], ...]

    @property
    def prec(self) -> int:
        return _BINARY[self.rest[0][0]]

    def children(self) -> tuple[Node, ...]:
        return (self.first, *(node for _, node in self.rest))

    def evaluate(self, env: Mapping[str, Any]) -> Fraction:
        if self.prec <= AND:
            return self._logic(env, decisive=self.prec == OR)
        if self.prec == CMP:
            return self._compare(env)
        total = self.first.evaluate(env)
        for op, node in self.rest:
            total = _APPLY[op](total, node.evaluate(env))
        return total

    def _logic(self, env: Mapping[str, Any], decisive: bool) -> Fraction:
        # 1 or 0, never an operand as Python's and/or would return.
        for node in self.children():
            if bool(node.evaluate(env)) == decisive:
                return _truth(decisive)
        return _truth(not decisive)

    def _compare(self, env: Mapping[str, Any]) -> Fraction:
        # `a < b < c` is `a < b and b < c`, each operand evaluated once.
        left = self.first.evaluate(env)
        for op, node in self.rest:
            right = node.evaluate(env)
            if not _APPLY[op](left, right):
                return ZERO
            left = right
        return ONE

    def describe(self) -> str:
        # Operands of the same level keep their brackets: `(a < b) < c` is no
        # chain, and re-parsing the description must give back the same tree.
        parts = [_wrap(self.first, self.prec + 1)]
        parts += [f"{op} {_wrap(node, self.prec + 1)}" for op, node in self.rest]
        return " ".join(parts)


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]
    digits: int = 0  # round's number of decimals, a literal in the source

    def children(self) -> tuple[Node, ...]:
        return self.args

    def evaluate(self, env: Mapping[str, Any]) -> Fraction:
        if self.name == "if":  # only the branch taken is evaluated
            cond, then, otherwise = self.args
            return (then if cond.evaluate(env) else otherwise).evaluate(env)
        values = [arg.evaluate(env) for arg in self.args]
        if self.name == "round":
            return _round_half_away(values[0], self.digits)
        return _FUNCTIONS[self.name](values)

    def describe(self) -> str:
        parts = [arg.describe() for arg in self.args]
        if self.name == "round":
            parts.append(str(self.digits))
        return f"{self.name}({', '.join(parts)})"


def _round_half_away(value: Fraction, digits: int) -> Fraction:
    # Same as Decimal's ROUND_HALF_UP, which the spec uses for published figures.
    scale = 10**digits
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Fraction(magnitude if value >= 0 else -magnitude, scale)


def _decimal(value: Fraction) -> str:
    """Exact decimal text of a literal's value (literals always terminate)."""
    digits = 0
    while value.denominator != 1:
        value *= 10
        digits += 1
    text = str(abs(value.numerator)).rjust(digits + 1, "0")
    sign = "-" if value < 0 else ""
    return sign + (f"{text[:-digits]}.{text[-digits:]}" if digits else text)


# --- tokens -----------------------------------------------------------------


class Token(NamedTuple):
    kind: str  # "num", "name", "op" (and/or/not included) or "end"
    text: str
    pos: int

    @property
    def end(self) -> int:
        return self.pos + len(self.text)


_SPACE = " \t\r\n"
# [0-9] rather than \d: full-width and other Unicode digits are not numbers.
_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<num>[0-9]+(?:\.[0-9]+)?)(?![A-Za-z0-9_.])"
    r"|(?P<badnum>\.?[0-9][A-Za-z0-9_.]*)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<refused>\*\*|//|%|=(?!=)|\"|')"
    r"|(?P<op><=|>=|==|!=|[-+*/(),<>])"
)
_KEYWORDS = frozenset({"and", "or", "not"})
_REFUSED = {
    "**": "不支持乘方“**”",
    "//": "不支持整除“//”",
    "%": "不支持取余“%”",
    "=": "的单个“=”不是运算符,判断相等请写“==”",
    '"': '不能写文字(引号“"”)',
    "'": "不能写文字(引号“'”)",
}
_LOOKALIKES = {"×": "*", "÷": "/", "≤": "<=", "≥": ">=", "≠": "!="}
_LOOKALIKES.update({"&": "and", "|": "or", "!": "not"})


def _tokens(source: str) -> Iterator[Token]:
    # A generator, so errors surface in reading order as the parser advances.
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            char = source[pos]
            raise FormulaError(pos, f"无法识别的符号“{char}”{_lookalike_hint(char)}")
        kind, text = match.lastgroup, match.group()
        if kind == "badnum":
            raise FormulaError(
                pos, f"数字“{text}”写法不对:只能写12、0.85这样的普通小数"
            )
        if kind == "refused":
            raise FormulaError(pos, _REFUSED[text])
        if kind != "space":
            yield Token("op" if text in _KEYWORDS else str(kind), text, pos)
        pos = match.end()
    yield Token("end", "", len(source))


def _lookalike_hint(char: str) -> str:
    if char in _LOOKALIKES:
        return f",请改用“{_LOOKALIKES[char]}”"
    plain = unicodedata.normalize("NFKC", char)
    if plain != char and plain.isascii():
        return f"(全角字符),请改用半角的“{plain}”"
    return ""


def _case_hint(name: str) -> str:
    for known in (*VARIABLE_ORDER, *FUNCTION_ORDER, *sorted(_KEYWORDS)):
        if known != name and known.lower() == name.lower():
            return f"(区分大小写,应写作“{known}”)"
    return ""


# --- parser -----------------------------------------------------------------


class _Arg(NamedTuple):
    node: Node
    pos: int
    text: str


class _Parser:
    """Precedence climbing; each `_expr` call is one level of nesting."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _tokens(source)
        self.tok = Token("end", "", 0)
        self.prev = 0  # last consumed token: where a too-deep nesting starts
        self.nesting = -1  # the whole expression is level 0

    def parse(self) -> Node:
        if len(self.source) > MAX_LENGTH:
            size = len(self.source)
            detail = f"超出长度上限:公式最多{MAX_LENGTH}个字符,这里有{size}个"
            raise FormulaError(MAX_LENGTH, detail)
        if not self.source.strip(_SPACE):
            raise FormulaError(0, "没有内容:公式为空")
        self.tok = next(self.tokens)
        root = self._expr(OR)
        if self._is(")"):
            raise FormulaError(self.tok.pos, "多出的“)”没有对应的“(”")
        if self.tok.kind != "end":
            hint = _case_hint(self.tok.text)
            detail = f"多出“{self.tok.text}”:它前面缺少运算符{hint}"
            raise FormulaError(self.tok.pos, detail)
        return root

    def _advance(self) -> Token:
        token = self.tok
        self.prev = token.pos
        self.tok = next(self.tokens)
        return token

    def _is(self, text: str) -> bool:
        return self.tok.kind == "op" and self.tok.text == text

    def _enter(self) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise FormulaError(self.prev, _too_deep())

    def _checked(self, node: Node, pos: int) -> Node:
        if node.depth > MAX_DEPTH:
            raise FormulaError(pos, _too_deep())
        return node

    def _expr(self, min_prec: int) -> Node:
        self._enter()
        left = self._prefix(min_prec)
        grown = False  # True once `left` is a chain built here, not bracketed
        while (prec := self._binary_prec()) is not None and prec >= min_prec:
            op = self._advance()
            right = self._expr(prec + 1)
            extend = grown and left.prec == prec
            left = self._checked(_join(left, op.text, right, extend), op.pos)
            grown = True
        self.nesting -= 1
        return left

    def _binary_prec(self) -> int | None:
        return _BINARY.get(self.tok.text) if self.tok.kind == "op" else None

    def _prefix(self, min_prec: int) -> Node:
        token = self.tok
        if self._is("not"):
            if min_prec > NOT:  # Python refuses `a + not b` too
                detail = "的“not”不能直接跟在运算符后面,请把“not …”放进括号"
                raise FormulaError(token.pos, detail)
            self._advance()
            return self._checked(Unary("not", self._expr(NOT)), token.pos)
        if self._is("-"):
            self._advance()
            self._enter()
            node = Unary("-", self._prefix(NEG))
            self.nesting -= 1
            return self._checked(node, token.pos)
        if self._is("+"):
            raise FormulaError(token.pos, "不支持正号“+”:正数直接写,如 3")
        return self._primary()

    def _primary(self) -> Node:
        token = self.tok
        if token.kind == "num":
            self._advance()
            return Num(Fraction(token.text))
        if token.kind == "name":
            # Looked up in the text so a bad name is reported before what follows.
            is_call = self.source[token.end :].lstrip(_SPACE).startswith("(")
            _check_name(token, is_call)
            self._advance()
            return self._call(token) if is_call else Var(token.text)
        if self._is("("):
            self._advance()
            node = self._expr(OR)
            self._close(token, "“)”")
            return node
        if token.kind == "end":
            raise FormulaError(token.pos, "公式不完整:这里还缺数字、变量或括号")
        detail = f"应为数字、变量、函数或“(”,这里却是“{token.text}”"
        raise FormulaError(token.pos, detail)

    def _call(self, name: Token) -> Node:
        opening = self._advance()
        args: list[_Arg] = []
        if not self._is(")"):
            args.append(self._argument())
            while self._is(","):
                self._advance()
                args.append(self._argument())
        self._close(opening, "“,”或“)”")
        return self._checked(_build_call(name, args), name.pos)

    def _argument(self) -> _Arg:
        start = self.tok.pos
        node = self._expr(OR)
        return _Arg(node, start, self.source[start : self.tok.pos].strip(_SPACE))

    def _close(self, opening: Token, expected: str) -> None:
        if self._is(")"):
            self._advance()
        elif self.tok.kind == "end":
            raise FormulaError(opening.pos, "的“(”缺少对应的“)”")
        else:
            detail = f"应为{expected},这里却是“{self.tok.text}”"
            raise FormulaError(self.tok.pos, detail)


def _too_deep() -> str:
    return f"嵌套过深:括号、函数和运算最多嵌套{MAX_DEPTH}层"


def _check_name(token: Token, is_call: bool) -> None:
    name = token.text
    if is_call and name in VARIABLES:
        raise FormulaError(token.pos, f"的变量“{name}”不是函数,后面不能跟“(”")
    if not is_call and name in FUNCTIONS:
        detail = f"的函数“{name}”后面要跟“(”和参数,如 {name}(…)"
        raise FormulaError(token.pos, detail)
    kind, known = ("函数", FUNCTION_ORDER) if is_call else ("变量", VARIABLE_ORDER)
    if name not in known:
        listed = "、".join(known)
        detail = f"未知{kind}“{name}”,可用{kind}:{listed}{_case_hint(name)}"
        raise FormulaError(token.pos, detail)


def _build_call(token: Token, args: Sequence[_Arg]) -> Node:
    name = token.text
    wanted = _FIXED_ARITY.get(name)
    if (wanted is None and not args) or (wanted is not None and len(args) != wanted):
        need = f"{wanted}个" if wanted else "至少1个"
        detail = f"的函数“{name}”需要{need}参数,这里有{len(args)}个"
        raise FormulaError(token.pos, detail)
    if name == "round":
        return Call(name, (args[0].node,), _round_digits(args[1]))
    return Call(name, tuple(arg.node for arg in args))


def _round_digits(arg: _Arg) -> int:
    # A literal, so the number of decimals is plain to see in the plan.
    if not (arg.text.isascii() and arg.text.isdigit()):
        detail = f"round的小数位数要直接写成不小于0的整数(如2),不能是“{arg.text}”"
        raise FormulaError(arg.pos, detail)
    if int(arg.text) > MAX_ROUND_DIGITS:
        detail = f"round的小数位数最多{MAX_ROUND_DIGITS}位,这里是“{arg.text}”"
        raise FormulaError(arg.pos, detail)
    return int(arg.text)


def _join(left: Node, op: str, right: Node, extend: bool) -> Node:
    if extend and isinstance(left, Chain):
        return Chain(left.first, (*left.rest, (op, right)))
    return Chain(left, ((op, right),))


# --- public -----------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """A parsed expression; equal and hashable by its source text."""

    source: str
    tree: Node = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tree", _Parser(self.source).parse())

    def evaluate(self, env: Mapping[str, Fraction]) -> Fraction:
        """Exact value; a variable missing from `env` raises KeyError."""
        return self.tree.evaluate(env)

    def variables(self) -> frozenset[str]:
        return frozenset(_variable_names(self.tree))

    def describe(self) -> str:
        """Canonical text: single spaces, only the brackets that matter."""
        return self.tree.describe()


def _variable_names(node: Node) -> Iterator[str]:
    if isinstance(node, Var):
        yield node.name
    for child in node.children():
        yield from _variable_names(child)


def parse_formula(source: str) -> Formula:
    """Parse `source`, raising FormulaError for anything outside the language."""
    return Formula(source)
