"""The scoring engine: pure functions over the plan and a period's inputs.

No Django, no I/O: ``compute_period(plan, inputs)`` for a period with data of
its own, ``compose_period`` for a period composed of others.
"""

from __future__ import annotations

from assessment.engine.compose import compose_period
from assessment.engine.compute import compute_period
from assessment.engine.results import ItemResult, PeriodResult, TownshipResult

__all__ = [
    "ItemResult",
    "PeriodResult",
    "TownshipResult",
    "compose_period",
    "compute_period",
]
