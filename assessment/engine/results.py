"""What a period's computation returns.

Published figures are ``Decimal`` with exactly ``precision`` places (what a
circular prints and what ranks and grades were decided on); ``ItemResult.exact``
keeps the method's exact score and ``why`` its explanation, for the "why this
score" pages (``indicators.methods.explain`` renders it as text).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from indicators.methods import Why
from indicators.numbers import Exact


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One indicator for one township.

    Veto items have ``triggered`` and no ``score``. ``na`` marks an N/A basic
    item that still counts something (``full``, ``mean`` or ``fixed``).
    """

    code: str
    score: Decimal | None = None
    triggered: bool | None = None
    na: bool = False
    exact: Exact | None = None
    why: Why = ()


@dataclass(frozen=True, slots=True)
class TownshipResult:
    code: str
    group: str
    total: Decimal
    basic: Decimal
    bonus: Decimal
    penalty: Decimal
    vetoed: bool
    veto_items: tuple[str, ...]
    rank: int
    group_rank: int
    grade: str | None
    items: tuple[ItemResult, ...]

    def item(self, code: str) -> ItemResult | None:
        for item in self.items:
            if item.code == code:
                return item
        return None


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """Every township's result in one period, townships in code order."""

    plan: str
    period: str
    precision: int
    townships: tuple[TownshipResult, ...]

    def township(self, code: str) -> TownshipResult:
        for township in self.townships:
            if township.code == code:
                return township
        raise KeyError(code)
