"""Results pages: the periods with results, and a period's ranking."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from assessment.models import Computation, ResultSet
from assessment.services import current_result_set
from indicators.selectors import plan_current, plans_of
from townships.scoping import get_scope, scoped


@require_GET
@scoped()
def result_index(request: HttpRequest) -> HttpResponse:
    """Every period of the county's current plans, with its latest result set."""
    scope = get_scope(request)
    sets = {
        (s.plan_code, s.period_code): s
        for s in ResultSet.objects.filter(county=scope.county, is_current=True)
    }
    plans = []
    for code in plans_of(scope.county).values_list("code", flat=True).distinct():
        plan = plan_current(scope.county, code)
        if plan is not None:
            periods = [(p, sets.get((plan.code, p.code))) for p in plan.periods.all()]
            plans.append((plan, periods))
    return render(request, "assessment/result_index.html", {"plans": plans})


@require_GET
@scoped()
def result_detail(
    request: HttpRequest, plan_code: str, period_code: str
) -> HttpResponse:
    scope = get_scope(request)
    plan = plan_current(scope.county, plan_code)
    if plan is None:
        raise Http404
    period = get_object_or_404(plan.periods, code=period_code)
    result_set = current_result_set(
        county=scope.county, plan_code=plan_code, period_code=period_code
    )
    rows = []
    group = request.GET.get("group", "")
    if result_set is not None:
        qs = result_set.townships.select_related("township").order_by(
            "rank", "township__code"
        )
        # Until publication exists, a township sees only its own line.
        if scope.is_township:
            qs = qs.filter(township=scope.township)
        if group:
            qs = qs.filter(group_code=group).order_by("group_rank", "township__code")
        rows = list(qs)
    grade_names = {g["code"]: g["name"] for g in plan.grades}
    group_names = {g["code"]: g["name"] for g in plan.groups}
    computation = (
        Computation.objects.filter(
            county=scope.county, plan_code=plan_code, period_code=period_code
        )
        .order_by("-requested_at")
        .first()
    )
    context = {
        "plan": plan,
        "period": period,
        "result_set": result_set,
        "rows": rows,
        "group": group,
        "groups": plan.groups,
        "grade_names": grade_names,
        "group_names": group_names,
        "computation": computation,
    }
    return render(request, "assessment/result_detail.html", context)
