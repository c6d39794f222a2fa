"""The scoring methods (scoring.md section 4), one object per method type.

``METHODS[name]`` gives the method type: its roles, parameter validation,
input checks and score function, defined once.
"""

from __future__ import annotations

from indicators.methods.awards import Awards, AwardsParams
from indicators.methods.base import (
    ItemInputs,
    MethodType,
    Scored,
    Why,
    explain,
)
from indicators.methods.expression import FormulaMethod, FormulaParams
from indicators.methods.incidents import (
    Deduct,
    Events,
    EventsParams,
    Repeat,
    multipliers,
)
from indicators.methods.judged import (
    Checklist,
    ChecklistParams,
    GradeMethod,
    GradeParams,
    Manual,
    ManualParams,
)
from indicators.methods.ratio import Excess, Ratio, RatioParams
from indicators.methods.relative import Benchmark, BenchmarkParams, Rank, RankParams
from indicators.methods.tiers import Tier, Tiers, TiersParams

METHODS: dict[str, MethodType] = {
    method.name: method
    for method in (
        Ratio(),
        Tiers(),
        Benchmark(),
        Rank(),
        Deduct(),
        GradeMethod(),
        Checklist(),
        Manual(),
        FormulaMethod(),
        Awards(),
        Events(),
    )
}

__all__ = [
    "METHODS",
    "AwardsParams",
    "BenchmarkParams",
    "ChecklistParams",
    "EventsParams",
    "Excess",
    "FormulaParams",
    "GradeParams",
    "ItemInputs",
    "ManualParams",
    "MethodType",
    "RankParams",
    "RatioParams",
    "Repeat",
    "Scored",
    "Tier",
    "TiersParams",
    "Why",
    "explain",
    "multipliers",
]
