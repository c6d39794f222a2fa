"""The two rounding modes as one arithmetic (scoring.md section 1).

Under ``item`` rounding a figure is an ``int`` count of ticks (10**-precision):
every score is rounded once, sums add rounded figures exactly, and a rescaled or
scaled value is rounded once more. Under ``final`` a figure is the exact value
and only what is published is rounded.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from indicators.numbers import Exact, exact_div, publish, ticks_to_decimal, to_ticks
from indicators.spec import ROUND_ITEM

Figure = Exact


class Figures:
    __slots__ = ("_published", "item", "precision")

    def __init__(self, precision: int, rounding: str) -> None:
        self.precision = precision
        self.item = rounding == ROUND_ITEM
        # Published Decimals by tick count: scores repeat a lot (full marks,
        # zero), and a Decimal is immutable, so one object serves them all.
        self._published: dict[int, Decimal] = {}

    def settle(self, value: Exact) -> Figure:
        """A score as it enters the sums."""
        return to_ticks(value, self.precision) if self.item else value

    def scale(self, figure: Figure, num: Exact, den: Exact) -> Figure:
        """figure × num ÷ den (a rescaled total, a scaled contribution)."""
        exact = exact_div(figure * num, den)
        return to_ticks(exact, 0) if self.item else exact

    def mean(self, figures: Iterable[Figure]) -> Figure:
        values = list(figures)
        exact = exact_div(sum(values), len(values))
        return to_ticks(exact, 0) if self.item else exact

    def at_most(self, figure: Figure, cap: Exact | None) -> Figure:
        if cap is None:
            return figure
        bound = self.settle(cap)
        return bound if figure > bound else figure

    def publish(self, figure: Figure) -> Decimal:
        if not self.item:
            return publish(figure, self.precision)
        assert type(figure) is int
        found = self._published.get(figure)
        if found is None:
            found = self._published[figure] = ticks_to_decimal(figure, self.precision)
        return found


def weighted(parts: Iterable[tuple[Fraction, Decimal]], precision: int) -> Decimal:
    """Σ weight × published figure, rounded once (composite periods)."""
    total: Exact = 0
    for weight, figure in parts:
        total += weight * Fraction(figure)
    return publish(total, precision)
