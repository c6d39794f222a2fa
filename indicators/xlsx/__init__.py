"""Excel (.xlsx) in and out for plans and period data, on JSON-shaped dicts.

The dicts are those of the spec (`assessment-plan/1`, `assessment-data/1`);
validating what they mean is the engine's job. This layer converts, refuses
what is wrong with the spreadsheet itself (every problem at its sheet, row and
column), and never loses or invents information: see `canonical`.
"""

from __future__ import annotations

from indicators.xlsx.canonical import canonical_period_data, canonical_plan
from indicators.xlsx.data import DATA_FORMAT, period_data_from_xlsx, period_data_to_xlsx
from indicators.xlsx.plan import plan_from_xlsx, plan_to_xlsx
from indicators.xlsx.plan_layout import PLAN_FORMAT
from indicators.xlsx.safety import check_zip_archive

__all__ = [
    "DATA_FORMAT",
    "PLAN_FORMAT",
    "canonical_period_data",
    "canonical_plan",
    "check_zip_archive",
    "period_data_from_xlsx",
    "period_data_to_xlsx",
    "plan_from_xlsx",
    "plan_to_xlsx",
]
