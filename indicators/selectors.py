"""Reads of plans used in more than one place."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from indicators.models import Plan, PlanStatus


def plans_of(county: Any) -> QuerySet[Plan]:
    return Plan.objects.filter(county=county)


def plan_current(county: Any, code: str) -> Plan | None:
    """The version data and computations use: the latest published one, or the
    draft while nothing is published yet (so the office can try a plan out)."""
    versions = plans_of(county).filter(code=code)
    published = (
        versions.filter(status=PlanStatus.PUBLISHED).order_by("-version").first()
    )
    return published or versions.order_by("-version").first()
