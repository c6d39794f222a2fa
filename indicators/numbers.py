"""Exact numbers: strict reading of input values, rounding and printing.

Inputs are read exactly as written (scoring.md section 1): ``int``, ``Decimal``
(what ``json.loads(..., parse_float=Decimal)`` gives) and ASCII decimal strings.
Floats, booleans and text such as ``"95分"``, ``"９５"`` or ``"1,286"`` are refused
with a problem naming where they stand.

Exact values are ``int`` when whole and ``Fraction`` otherwise: whole numbers are
by far the most common and ``int`` arithmetic is an order of magnitude cheaper.

Published figures are ``Decimal`` with exactly ``precision`` places. Inside the
engine, rounded figures travel as integer *ticks* (units of ``10**-precision``) so
that sums of rounded figures are plain integer sums.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from fractions import Fraction
from typing import Any

from indicators.errors import ProblemList

Exact = int | Fraction

_DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_FRACTION_TEXT = re.compile(r"([0-9]+)/([0-9]+)")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_POW10 = tuple(10**k for k in range(64))
# Large enough that scaling a tick count never rounds.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)

MSG_NOT_A_NUMBER = (
    "{owner}的 {key} 应为数字(半角阿拉伯数字写的十进制数,如 95 或 95.5),实际为 {value}"
)
MSG_NOT_A_WEIGHT = "{owner}的 {key} 应为正数或分数(如 0.3 或 1/3),实际为 {value}"
MSG_NOT_AN_INTEGER = "{owner}的 {key} 应为整数,实际为 {value}"
MSG_TOO_SMALL = "{owner}的 {key} 不能小于 {bound},实际为 {value}"
MSG_NOT_ABOVE = "{owner}的 {key} 必须大于 {bound},实际为 {value}"
MSG_TOO_LARGE = "{owner}的 {key} 不能大于 {bound},实际为 {value}"
MSG_MISSING = "{owner}缺少必填字段 {key}"
MSG_UNKNOWN_FIELD = "{owner}含有无法识别的字段 {key}"
MSG_NOT_TEXT = "{owner}的 {key} 应为非空文本,实际为 {value}"
MSG_NOT_A_LIST = "{owner}的 {key} 应为列表,实际为 {value}"
MSG_NOT_AN_OBJECT = "{owner}的 {key} 应为对象({{…}}),实际为 {value}"
MSG_ELEMENT_NOT_OBJECT = "{owner}应为对象({{…}}),实际为 {value}"
MSG_EMPTY_LIST = "{owner}的 {key} 不能为空列表"
MSG_NOT_A_FLAG = "{owner}的 {key} 应为 true 或 false,实际为 {value}"
MSG_NOT_A_CHOICE = "{owner}的 {key} 应为 {options} 之一,实际为 {value}"
MSG_NOT_A_DATE = (
    "{owner}的 {key} 应为日期(格式 YYYY-MM-DD,如 2026-03-31),实际为 {value}"
)


# --- exact values -----------------------------------------------------------


def to_exact(value: int | Decimal | Fraction) -> Exact:
    """An exact value: ``int`` when whole, else ``Fraction``."""
    if type(value) is int:
        return value
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else value
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return Fraction(value)
    return int(value)


def exact_div(a: Exact, b: Exact) -> Exact:
    """a ÷ b exactly, keeping ``int`` when the quotient is whole."""
    if type(a) is int and type(b) is int:
        # The common case in scoring, and far cheaper than a Fraction.
        return a // b if a % b == 0 else Fraction(a, b)
    q = a / b  # at least one side is a Fraction, so this stays exact
    assert isinstance(q, Fraction)
    return q.numerator if q.denominator == 1 else q


def parse_number(raw: object) -> Exact:
    """Read one input number exactly; raise ``ValueError`` for anything else."""
    if isinstance(raw, bool | float):
        raise ValueError(raw)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise ValueError(raw)
        return to_exact(raw)
    if isinstance(raw, str) and _DECIMAL_TEXT.fullmatch(raw):
        return to_exact(Decimal(raw))
    raise ValueError(raw)


def parse_weight(raw: object) -> Fraction:
    """A composition weight: a number, or an exact fraction written ``"1/3"``."""
    if isinstance(raw, Fraction):
        return raw
    if isinstance(raw, str):
        match = _FRACTION_TEXT.fullmatch(raw)
        if match:
            den = int(match.group(2))
            if den == 0:
                raise ValueError(raw)
            return Fraction(int(match.group(1)), den)
    return Fraction(parse_number(raw))


def parse_date(raw: object) -> date:
    """An ISO date written exactly ``YYYY-MM-DD``; ``date`` objects pass through."""
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str) and _DATE_TEXT.fullmatch(raw):
        return date.fromisoformat(raw)
    raise ValueError(raw)


# --- rounding and publishing ------------------------------------------------


def to_ticks(value: Exact, precision: int) -> int:
    """Round ``value`` half away from zero to units of ``10**-precision``."""
    if type(value) is int:
        return value * _POW10[precision]
    num = value.numerator * _POW10[precision]
    den = value.denominator
    if den == 1:
        return num
    q, r = divmod(num if num >= 0 else -num, den)
    if r + r >= den:
        q += 1
    return q if num >= 0 else -q


def ticks_to_decimal(ticks: int, precision: int) -> Decimal:
    """A tick count as a Decimal with exactly ``precision`` places (never -0)."""
    return Decimal(ticks).scaleb(-precision, _EXACT)


def decimal_to_ticks(value: Decimal, precision: int) -> int:
    """The tick count of a published figure (exact for published figures)."""
    return int(value.scaleb(precision, _EXACT))


def publish(value: Exact, precision: int) -> Decimal:
    """The published figure of an exact value: rounded once, half away from 0."""
    return ticks_to_decimal(to_ticks(value, precision), precision)


def ticks_to_exact(ticks: int, precision: int) -> Exact:
    return exact_div(ticks, _POW10[precision])


def format_fixed(value: Decimal) -> str:
    """A published figure as printed: ``"12.00"``; never ``"-0.00"``."""
    text = format(value, "f")
    if text.startswith("-") and not value:
        return text[1:]
    return text


def format_exact(value: Exact | Decimal) -> str:
    """An exact value as text: a terminating decimal (``"3.475"``) or ``"1/3"``."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if type(value) is int:
        return str(value)
    assert isinstance(value, Fraction)
    decimal = terminating_decimal(value)
    if decimal is None:
        return f"{value.numerator}/{value.denominator}"
    return format(decimal, "f")


def terminating_decimal(value: Fraction) -> Decimal | None:
    """``value`` as an exact Decimal when it has a finite decimal expansion."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    places = max(twos, fives)
    scaled = value.numerator * _pow10(places) // value.denominator
    return ticks_to_decimal(scaled, places)


def exact_to_json(value: Exact) -> int | Decimal | str:
    """An exact value for an export: ``int``, exact ``Decimal``, or ``"1/3"``."""
    if type(value) is int:
        return value
    assert isinstance(value, Fraction)
    if value.denominator == 1:
        return value.numerator
    decimal = terminating_decimal(value)
    return decimal if decimal is not None else f"{value.numerator}/{value.denominator}"


def _pow10(k: int) -> int:
    return _POW10[k] if k < len(_POW10) else 10**k


# --- JSON text --------------------------------------------------------------


def dump_json(data: object, *, indent: int | None = 1) -> str:
    """JSON text like ``json.dumps(ensure_ascii=False)``, writing ``Decimal``
    values as JSON numbers (``json.dumps`` refuses them, and a string would
    lose the number's type)."""
    out: list[str] = []
    _write_json(data, out, indent, 0)
    return "".join(out)


def _write_json(data: object, out: list[str], indent: int | None, depth: int) -> None:
    if isinstance(data, Decimal):
        out.append(format(data, "f"))
        return
    if isinstance(data, Mapping):
        pairs: list[tuple[str | None, object]] = [
            (json.dumps(str(k), ensure_ascii=False), v) for k, v in data.items()
        ]
        _write_container(pairs, "{}", out, indent, depth)
        return
    if isinstance(data, list | tuple):
        _write_container([(None, v) for v in data], "[]", out, indent, depth)
        return
    out.append(json.dumps(data, ensure_ascii=False))


def _write_container(
    pairs: Sequence[tuple[str | None, object]],
    brackets: str,
    out: list[str],
    indent: int | None,
    depth: int,
) -> None:
    if not pairs:
        out.append(brackets)
        return
    inner = "" if indent is None else "\n" + " " * (indent * (depth + 1))
    outer = "" if indent is None else "\n" + " " * (indent * depth)
    out.append(brackets[0])
    for i, (key, value) in enumerate(pairs):
        out.append(("," if indent is not None else ", ") if i else "")
        out.append(inner)
        if key is not None:
            out.append(key + ": ")
        _write_json(value, out, indent, depth + 1)
    out.append(outer + brackets[1])


# --- reading objects field by field -----------------------------------------


def show(value: object) -> str:
    """A short display of an input value for messages."""
    if value is None:
        return "空值(null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"浮点数 {value!r}(须以精确十进制书写)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f"“{shown}”"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return "对象({…})"
    if isinstance(value, list | tuple):
        return "列表([…])"
    return type(value).__name__


def join(path: str, key: str | int) -> str:
    """``indicators[2]`` + ``children`` → ``indicators[2].children``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Reader:
    """Reads the fields of one input object, adding a problem for each bad one.

    Every read returns ``None`` (or the default) when the field is missing or
    wrong, so callers carry on and every problem is reported at once.
    """

    __slots__ = ("data", "owner", "path", "problems")

    def __init__(
        self, data: Mapping[str, Any], path: str, problems: ProblemList, owner: str
    ) -> None:
        self.data = data
        self.path = path
        self.problems = problems
        self.owner = owner

    def at(self, key: str) -> str:
        return join(self.path, key)

    def add(self, key: str, code: str, message: str) -> None:
        self.problems.add(self.at(key) if key else self.path, code, message)

    def only(self, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in self.data:
            if key not in allowed:
                self.add(
                    str(key),
                    "unknown_field",
                    MSG_UNKNOWN_FIELD.format(owner=self.owner, key=key),
                )

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def _missing(self, key: str) -> None:
        self.add(key, "missing_field", MSG_MISSING.format(owner=self.owner, key=key))

    def _bad(self, key: str, code: str, template: str, **extra: object) -> None:
        value = show(self.data.get(key))
        message = template.format(owner=self.owner, key=key, value=value, **extra)
        self.add(key, code, message)

    def text(self, key: str, *, required: bool = True) -> str | None:
        if not self.has(key):
            if required:
                self._missing(key)
            return None
        raw = self.data[key]
        if not isinstance(raw, str) or not raw.strip():
            self._bad(key, "not_text", MSG_NOT_TEXT)
            return None
        return raw

    def number(
        self,
        key: str,
        *,
        required: bool = False,
        default: Exact | None = None,
        minimum: Exact | None = None,
        above: Exact | None = None,
        maximum: Exact | None = None,
    ) -> Exact | None:
        if not self.has(key):
            if required:
                self._missing(key)
            return default
        try:
            value = parse_number(self.data[key])
        except ValueError:
            self._bad(key, "not_a_number", MSG_NOT_A_NUMBER)
            return None
        return self._bounded(key, value, minimum, above, maximum)

    def integer(
        self,
        key: str,
        *,
        required: bool = False,
        default: int | None = None,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        if not self.has(key):
            if required:
                self._missing(key)
            return default
        try:
            value = parse_number(self.data[key])
        except ValueError:
            value = None
        if type(value) is not int:
            self._bad(key, "not_an_integer", MSG_NOT_AN_INTEGER)
            return None
        bounded = self._bounded(key, value, minimum, None, maximum)
        return bounded if type(bounded) is int else None

    def _bounded(
        self,
        key: str,
        value: Exact,
        minimum: Exact | None,
        above: Exact | None,
        maximum: Exact | None,
    ) -> Exact | None:
        if minimum is not None and value < minimum:
            bound, template = minimum, MSG_TOO_SMALL
        elif above is not None and value <= above:
            bound, template = above, MSG_NOT_ABOVE
        elif maximum is not None and value > maximum:
            bound, template = maximum, MSG_TOO_LARGE
        else:
            return value
        self._bad(key, "out_of_range", template, bound=format_exact(bound))
        return None

    def weight(self, key: str) -> Fraction | None:
        if not self.has(key):
            self._missing(key)
            return None
        try:
            value = parse_weight(self.data[key])
        except ValueError:
            value = None
        if value is None or value <= 0:
            self._bad(key, "not_a_weight", MSG_NOT_A_WEIGHT)
            return None
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str) -> str:
        if not self.has(key):
            return default
        raw = self.data[key]
        if raw not in options:
            shown = "、".join(options)
            self._bad(key, "not_a_choice", MSG_NOT_A_CHOICE, options=shown)
            return default
        return str(raw)

    def flag(self, key: str, *, default: bool = False) -> bool:
        if not self.has(key):
            return default
        raw = self.data[key]
        if not isinstance(raw, bool):
            self._bad(key, "not_a_flag", MSG_NOT_A_FLAG)
            return default
        return raw

    def date(self, key: str, *, required: bool = True) -> date | None:
        if not self.has(key):
            if required:
                self._missing(key)
            return None
        try:
            return parse_date(self.data[key])
        except ValueError:
            self._bad(key, "not_a_date", MSG_NOT_A_DATE)
            return None

    def list(self, key: str, *, required: bool = False) -> list[Any] | None:
        if not self.has(key):
            if required:
                self._missing(key)
            return None
        raw = self.data[key]
        if not isinstance(raw, list | tuple):
            self._bad(key, "not_a_list", MSG_NOT_A_LIST)
            return None
        return list(raw)

    def numbers(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: Exact | None = None,
        above: Exact | None = None,
    ) -> tuple[Exact, ...] | None:
        """A non-empty list of numbers; each bad element is named by its index."""
        raw = self.list(key, required=required)
        if raw is None:
            return None
        if not raw:
            self._bad(key, "empty", MSG_EMPTY_LIST)
            return None
        elements = Reader(
            {f"{key}[{i}]": v for i, v in enumerate(raw)},
            self.path,
            self.problems,
            self.owner,
        )
        values = [
            elements.number(f"{key}[{i}]", required=True, minimum=minimum, above=above)
            for i in range(len(raw))
        ]
        if any(v is None for v in values):
            return None
        return tuple(v for v in values if v is not None)

    def mapping(self, key: str, *, required: bool = False) -> Mapping[str, Any] | None:
        if not self.has(key):
            if required:
                self._missing(key)
            return None
        raw = self.data[key]
        if not isinstance(raw, Mapping):
            self._bad(key, "not_an_object", MSG_NOT_AN_OBJECT)
            return None
        return raw

    def child(self, key: str, owner: str, *, required: bool = False) -> Reader | None:
        """A reader over the object under ``key``."""
        raw = self.mapping(key, required=required)
        return None if raw is None else Reader(raw, self.at(key), self.problems, owner)


def object_reader(
    raw: object, path: str, problems: ProblemList, owner: str
) -> Reader | None:
    """A reader over ``raw`` when it is an object; else a problem at ``path``."""
    if isinstance(raw, Mapping):
        return Reader(raw, path, problems, owner)
    problems.add(
        path,
        "not_an_object",
        MSG_ELEMENT_NOT_OBJECT.format(owner=owner, value=show(raw)),
    )
    return None
