"""Pages of the assessment app, one module per area."""

from __future__ import annotations

from assessment.views import plans
from assessment.views.health import healthz
from assessment.views.results import result_detail, result_index

__all__ = ["healthz", "plans", "result_detail", "result_index"]
