"""Every method of spec section 4 and the repeat escalation of section 5, with
the numbers worked by hand in the comments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any

import pytest

from indicators.errors import ProblemList
from indicators.methods import METHODS, ItemInputs, explain, multipliers
from indicators.methods.incidents import Repeat
from indicators.numbers import Exact, parse_number
from indicators.spec import Award, Event, Params, Record

F = Fraction
START = date(2026, 1, 1)


def params(
    name: str, raw: Mapping[str, Any], *, role: str = "basic", points: Exact | None = 10
) -> Params:
    problems = ProblemList()
    result = METHODS[name].validate(
        {"type": name, **raw},
        role=role,
        points=points if role == "basic" else None,
        path="method",
        problems=problems,
        owner="指标 X",
    )
    assert not problems.problems, problems.problems
    assert result is not None
    return result


def problems_of(
    name: str, raw: Mapping[str, Any], *, role: str = "basic", points: Exact | None = 10
) -> list[tuple[str, str]]:
    problems = ProblemList()
    result = METHODS[name].validate(
        {"type": name, **raw},
        role=role,
        points=points,
        path="method",
        problems=problems,
        owner="指标 X",
    )
    assert result is None
    return [(p.path, p.code) for p in problems.problems]


def score(
    name: str,
    raw: Mapping[str, Any],
    *,
    role: str = "basic",
    points: Exact | None = 10,
    values: Mapping[str, Any] | None = None,
    field: str = "value",
    groups: Mapping[str, str] | None = None,
    target: Any = None,
    targets: Mapping[str, Any] | None = None,
    events: Sequence[Event] = (),
    awards: Sequence[Award] = (),
    assessed: Sequence[str] | None = None,
) -> dict[str, Exact]:
    """Scores by township; ``values`` are the records' fields (numbers as text)."""
    p = params(name, raw, role=role, points=points)
    values = values or {}
    groups = groups or {}
    records = {t: Record(t, "X", **{field: _read(v, field)}) for t, v in values.items()}
    everyone = (
        assessed
        if assessed is not None
        else sorted(
            set(values) | {e.township for e in events} | {a.township for a in awards}
        )
    )
    item = ItemInputs(
        code="X",
        role=role,
        points=points if role == "basic" else None,
        target=parse_number(target) if target is not None else None,
        assessed=[(t, groups.get(t, "g1")) for t in everyone],
        records=records,
        targets={t: parse_number(v) for t, v in (targets or {}).items()},
        events=sorted(events, key=lambda e: (e.date, e.id)),
        awards=awards,
        start=START,
    )
    return {t: s for t, (s, _why) in METHODS[name].score(p, item).items()}


def _read(value: Any, field: str) -> Any:
    if field in ("value", "score"):
        return parse_number(value)
    if field == "items":
        return tuple(value)
    return value


def ev(id_: str, township: str, day: str, type_: str = "general") -> Event:
    return Event(id_, township, "X", date.fromisoformat(day), type_)


# --- ratio ---------------------------------------------------------------------

RATIO = {"cap": 1, "floor": "0.5", "excess": {"step": "0.1", "points": 1, "max": 3}}


def test_ratio_is_points_times_completion() -> None:
    # P = 3, t = 12, v = 13.9, cap 2: 3 × 13.9 ÷ 12 = 3.475 exactly (→ 3.48)
    got = score("ratio", {"cap": 2}, points=3, target=12, values={"T": "13.9"})
    assert got == {"T": F(139, 40)}


def test_ratio_caps_and_rewards_excess_in_whole_steps() -> None:
    # A1 of the example: 3600 ÷ 3000 = 1.2 → 12 × 1 + 1 × ⌊0.2 ÷ 0.1⌋ = 14;
    # 5600 ÷ 5000 = 1.12 → 12 + ⌊0.12 ÷ 0.1⌋ = 13; 1.5 → 12 + min(3, 5) = 15.
    got = score(
        "ratio",
        RATIO,
        points=12,
        target=3000,
        targets={"B": 5000, "C": 1000},
        values={"A": 3600, "B": 5600, "C": 1500},
    )
    assert got == {"A": 14, "B": 13, "C": 15}


def test_ratio_below_floor_scores_zero() -> None:
    # 700 ÷ 1500 = 0.4667 < 0.5 → 0;  750 ÷ 1500 = 0.5 → 12 × 0.5 = 6
    got = score("ratio", RATIO, points=12, target=1500, values={"A": 700, "B": 750})
    assert got == {"A": 0, "B": 6}


def test_ratio_negative_value_scores_zero() -> None:
    # r = −100 ÷ 1000 < floor 0
    assert score("ratio", {}, target=1000, values={"A": -100}) == {"A": 0}


def test_ratio_lower_is_better() -> None:
    # lower: r = t ÷ v.  t 80, v 100 → 0.8 × 10 = 8;  v 40 → r 2, cap 1 → 10
    # + ⌊(2 − 1) ÷ 0.5⌋ × 1 = 2 → 12;  v 0 → r = ∞: 10 + the whole max 3 = 13
    raw = {"direction": "lower", "excess": {"step": "0.5", "points": 1, "max": 3}}
    got = score("ratio", raw, target=80, values={"A": 100, "B": 40, "C": 0})
    assert got == {"A": 8, "B": 12, "C": 13}


def test_ratio_infinite_without_excess_is_capped_points() -> None:
    # r = ∞, cap 1.2: 10 × 1.2 = 12
    got = score(
        "ratio", {"direction": "lower", "cap": "1.2"}, target=5, values={"A": 0}
    )
    assert got == {"A": 12}


def test_ratio_without_record_scores_zero() -> None:
    assert score("ratio", {}, target=5, assessed=["A"]) == {"A": 0}


def test_ratio_parameters_are_validated() -> None:
    assert problems_of("ratio", {"excess": {"step": 0, "points": 1}, "floor": -1}) == [
        ("method.floor", "out_of_range"),
        ("method.excess.step", "out_of_range"),
        ("method.excess.max", "missing_field"),
    ]


# --- tiers ---------------------------------------------------------------------

TIERS = {
    "on": "ratio",
    "tiers": [
        {"min": "0.8", "fraction": "0.6"},
        {"min": 1, "fraction": 1},
        {"min": "0.9", "fraction": "0.8"},
    ],
}


def test_tiers_take_the_first_threshold_reached_in_descending_order() -> None:
    # C1 of the example, P 7, t 2000: 1900/2000 = 0.95 → 7 × 0.8 = 5.6;
    # 1500 → 0.75 → else 0;  1700 → 0.85 → 4.2;  2100 → 1.05 → 7
    got = score(
        "tiers",
        TIERS,
        points=7,
        target=2000,
        values={"A": 1900, "B": 1500, "C": 1700, "D": 2100},
    )
    assert got == {"A": F(28, 5), "B": 0, "C": F(21, 5), "D": 7}


def test_tiers_on_value_with_scores_and_a_negative_else() -> None:
    # 未达门槛倒扣: v ≥ 100 → 10, v ≥ 60 → 6, else −2; no record → −2 too
    raw = {"tiers": [{"min": 100, "score": 10}, {"min": 60, "score": 6}], "else": -2}
    got = score(
        "tiers",
        raw,
        values={"A": 100, "B": "99.9", "C": 10},
        assessed=["A", "B", "C", "D"],
    )
    assert got == {"A": 10, "B": 6, "C": -2, "D": -2}


def test_tiers_lower_direction_use_max_in_ascending_order() -> None:
    # 发生率越低越好: v ≤ 1 → 10, v ≤ 3 → 5, else 0
    raw = {
        "direction": "lower",
        "tiers": [{"max": 3, "score": 5}, {"max": 1, "score": 10}],
    }
    got = score("tiers", raw, values={"A": "0.5", "B": 1, "C": 2, "D": 4})
    assert got == {"A": 10, "B": 10, "C": 5, "D": 0}


def test_bonus_tiers_use_max_for_p() -> None:
    # bonus, max 4: v ≥ 10 → 4 × 1; v ≥ 5 → 4 × 0.5 = 2
    raw = {
        "max": 4,
        "tiers": [{"min": 10, "fraction": 1}, {"min": 5, "fraction": "0.5"}],
    }
    got = score("tiers", raw, role="bonus", values={"A": 12, "B": 6, "C": 1})
    assert got == {"A": 4, "B": 2, "C": 0}


def test_tiers_are_validated() -> None:
    raw = {
        "tiers": [
            {"min": 1, "score": 11},
            {"min": 1, "score": 2},
            {"max": 2, "score": 1},
            {"min": 3},
        ]
    }
    assert problems_of("tiers", raw) == [
        ("method.tiers[0].score", "above_points"),
        ("method.tiers[1].min", "duplicate_threshold"),
        ("method.tiers[2].max", "wrong_tier_bound"),
        ("method.tiers[3]", "one_of"),
    ]
    bonus = {"else": -1, "tiers": [{"min": 1, "score": -2}]}
    assert problems_of("tiers", bonus, role="bonus", points=None) == [
        ("method.max", "missing_field"),
        ("method.else", "negative_not_allowed"),
        ("method.tiers[0].score", "negative_not_allowed"),
    ]


# --- benchmark -----------------------------------------------------------------


def test_benchmark_higher_is_share_of_the_best_in_the_group() -> None:
    # A2 of the example, jd group: best 8.2;  6.5 ÷ 8.2 × 10 = 7.9268… → 7.93
    got = score(
        "benchmark",
        {},
        values={"A": "8.2", "B": "6.5", "C": "12.4"},
        groups={"C": "g2"},
    )
    assert got == {"A": 10, "B": F(650, 82), "C": 10}


def test_benchmark_scope_all_and_negative_values_count_as_zero() -> None:
    # all: best 12.4;  −3 counts as 0 → 0;  6.2 → 5
    got = score(
        "benchmark",
        {"scope": "all"},
        values={"A": "12.4", "B": -3, "C": "6.2"},
        groups={"C": "g2"},
    )
    assert got == {"A": 10, "B": 0, "C": 5}


def test_benchmark_best_zero_scores_zero() -> None:
    assert score("benchmark", {}, values={"A": 0, "B": -1}) == {"A": 0, "B": 0}


def test_benchmark_lower_is_best_over_value() -> None:
    # best = min = 2;  4 → 10 × 2 ÷ 4 = 5;  v = 0 → P; then best 0 → others 0
    assert score("benchmark", {"direction": "lower"}, values={"A": 2, "B": 4}) == {
        "A": 10,
        "B": 5,
    }
    assert score("benchmark", {"direction": "lower"}, values={"A": 0, "B": 4}) == {
        "A": 10,
        "B": 0,
    }


# --- rank ----------------------------------------------------------------------


def test_rank_step_with_shared_ranks_and_a_floor() -> None:
    # values 9, 7, 7, 5, 1 → ranks 1, 2, 2, 4, 5; P 10, step 2, min 5:
    # 10, 8, 8, max(5, 10 − 6) = 5, max(5, 2) = 5
    got = score(
        "rank", {"step": 2, "min": 5}, values={"A": 9, "B": 7, "C": 7, "D": 5, "E": 1}
    )
    assert got == {"A": 10, "B": 8, "C": 8, "D": 5, "E": 5}


def test_rank_scores_list_and_min_beyond_it() -> None:
    # lower ranks smaller first: 1 → rank 1 → 10;  2, 2 → rank 2 → 8;  3 → rank 4
    # beyond the list [10, 8, 6] → min 1
    got = score(
        "rank",
        {"direction": "lower", "scores": [10, 8, 6], "min": 1},
        values={"A": 1, "B": 2, "C": 2, "D": 3},
    )
    assert got == {"A": 10, "B": 8, "C": 8, "D": 1}


def test_rank_is_within_the_group_by_default() -> None:
    got = score(
        "rank", {"step": 1}, values={"A": 5, "B": 6, "C": 1}, groups={"C": "g2"}
    )
    assert got == {"A": 9, "B": 10, "C": 10}


def test_rank_no_record_scores_the_lowest_when_negative() -> None:
    # scores may go below 0 on basic items; no record → the least of min and
    # the entries, −3 (never better than submitting)
    got = score(
        "rank", {"scores": [10, -1], "min": -3}, values={"A": 1}, assessed=["A", "B"]
    )
    assert got == {"A": 10, "B": -3}


def test_rank_needs_step_or_scores() -> None:
    assert problems_of("rank", {}) == [("method", "one_of")]
    assert problems_of("rank", {"scores": [11], "min": 12}) == [
        ("method.min", "above_points"),
        ("method.scores[0]", "above_points"),
    ]


# --- deduct and events, repeat escalation ---------------------------------------


def test_deduct_takes_per_type_points_off_and_stops_at_zero() -> None:
    # B2 of the example: general 2 + major 5 = 7 → 10 − 7 = 3; 3 majors → 0
    raw = {"per_type": {"general": 2, "major": 5}}
    events = [
        ev("1", "A", "2026-01-21"),
        ev("2", "A", "2026-02-11", "major"),
        ev("3", "B", "2026-02-01", "major"),
        ev("4", "B", "2026-02-02", "major"),
        ev("5", "B", "2026-02-03", "major"),
    ]
    got = score("deduct", raw, events=events, assessed=["A", "B", "C"])
    assert got == {"A": 3, "B": 0, "C": 10}


def test_deduct_ignores_history_events() -> None:
    events = [ev("1", "A", "2025-12-30")]
    assert score("deduct", {"per": 1}, events=events) == {"A": 10}


def test_penalty_events_escalate_within_the_episode_county_wide() -> None:
    # Y1 of the example: window 90 days from 2025-12-20 covers to 2026-03-20.
    # history E-2025-31 (T06) k=1; E-2026-02 (T03) k=2 → 2 × 2 = 4;
    # E-2026-05 (T05, serious) k=3 → 4 × 3 = 12, max 12;
    # E-2026-09 on 2026-03-30 starts a new episode → 2 × 1 = 2
    raw = {
        "per_type": {"general": 2, "serious": 4},
        "max": 12,
        "repeat": {"window_days": 90, "multipliers": [1, 2, 3]},
    }
    events = [
        ev("E-2025-31", "T06", "2025-12-20"),
        ev("E-2026-02", "T03", "2026-01-15"),
        ev("E-2026-05", "T05", "2026-02-02", "serious"),
        ev("E-2026-09", "T07", "2026-03-30"),
    ]
    got = score("events", raw, role="penalty", events=events)
    assert got == {"T03": -4, "T05": -12, "T06": 0, "T07": -2}


def test_repeat_window_is_inclusive_and_multipliers_stay_at_the_last() -> None:
    # window 10 from 01-01 covers 01-01..01-11 inclusive: k = 1, 2, 3, 4 → 1, 2, 2, 2;
    # 01-12 starts a new episode → 1
    repeat = Repeat(10, (1, 2))
    events = [
        Event(str(i), "A", "X", date(2026, 1, d))
        for i, d in enumerate([1, 5, 11, 11, 12])
    ]
    assert list(multipliers(events, repeat).values()) == [1, 2, 2, 2, 1]


def test_same_day_events_are_ordered_by_id_as_text() -> None:
    # "E-10" < "E-9" as text, so E-10 is first (m 1) and E-9 second (m 2)
    raw = {"per": 1, "repeat": {"window_days": 30, "multipliers": [1, 2]}}
    events = [ev("E-9", "A", "2026-02-01"), ev("E-10", "B", "2026-02-01")]
    got = score("events", raw, role="penalty", events=events)
    assert got == {"A": -2, "B": -1}


def test_penalty_events_per_batch_with_max() -> None:
    # Y2: 0.5 per batch, 2 batches → −1;  12 batches → −min(5, 6) = −5
    events = [ev(f"a{i}", "A", "2026-02-01", "batch") for i in range(2)]
    events += [ev(f"b{i:02}", "B", "2026-02-01", "batch") for i in range(12)]
    got = score("events", {"per": "0.5", "max": 5}, role="penalty", events=events)
    assert got == {"A": -1, "B": -5}


def test_veto_triggers_on_an_event_of_the_period_only() -> None:
    events = [ev("1", "A", "2026-03-12"), ev("2", "B", "2025-12-12")]
    got = score("events", {}, role="veto", events=events, assessed=["A", "B", "C"])
    assert got == {"A": 1, "B": 0, "C": 0}


def test_event_parameters_are_validated() -> None:
    assert problems_of("deduct", {"per": 1, "per_type": {"a": 1}}) == [
        ("method", "one_of")
    ]
    assert problems_of("events", {"per": 1}, role="veto", points=None) == [
        ("method.per", "unknown_field")
    ]
    raw = {"per": 1, "repeat": {"window_days": -1, "multipliers": []}}
    assert problems_of("events", raw, role="penalty", points=None) == [
        ("method.repeat.window_days", "out_of_range"),
        ("method.repeat.multipliers", "empty"),
    ]


# --- grade, checklist, manual ----------------------------------------------------


def test_grade_is_points_times_the_letter_fraction() -> None:
    # A4: P 8;  A → 8;  B → 8 × 0.85 = 6.8;  D → 4
    raw = {"grades": {"A": 1, "B": "0.85", "C": "0.7", "D": "0.5"}}
    got = score(
        "grade", raw, points=8, field="grade", values={"T1": "A", "T2": "B", "T3": "D"}
    )
    assert got == {"T1": 8, "T2": F(34, 5), "T3": 4}


def test_checklist_adds_the_items_met() -> None:
    # plan 2 + inspection 2 + rectify 2 = 6
    raw = {
        "items": [
            {"id": i, "points": 2} for i in ("plan", "ledger", "inspection", "rectify")
        ]
    }
    got = score(
        "checklist",
        raw,
        points=8,
        field="items",
        values={"A": ["plan", "inspection", "rectify"], "B": []},
    )
    assert got == {"A": 6, "B": 0}


def test_checklist_points_must_add_up_to_p() -> None:
    raw = {"items": [{"id": "a", "points": 3}, {"id": "a", "points": 3}]}
    assert problems_of("checklist", raw) == [("method.items[1].id", "duplicate_item")]
    assert problems_of("checklist", {"items": [{"id": "a", "points": 3}]}) == [
        ("method.items", "checklist_sum")
    ]


def test_manual_scores_by_role() -> None:
    assert score("manual", {}, points=15, field="score", values={"A": "14.5"}) == {
        "A": F(29, 2)
    }
    assert score(
        "manual",
        {"max": 4},
        role="bonus",
        field="score",
        values={"A": 2},
        assessed=["A", "B"],
    ) == {"A": 2, "B": 0}
    assert score(
        "manual", {"max": 3}, role="penalty", field="score", values={"A": "1.5"}
    ) == {"A": F(-3, 2)}


def test_manual_needs_max_off_basic() -> None:
    assert problems_of("manual", {}, role="bonus", points=None) == [
        ("method.max", "missing_field")
    ]
    assert problems_of("manual", {"max": 3}) == [("method.max", "unknown_field")]


# --- formula -------------------------------------------------------------------


def test_formula_reads_scope_figures() -> None:
    # E1: if(vmax > 0, P × v ÷ vmax, 0), scope all: vmax 95;
    # 88 → 10 × 88 ÷ 95 = 9.263… ;  95 → 10
    raw = {"expr": "if(vmax > 0, P * v / vmax, 0)", "scope": "all"}
    got = score("formula", raw, values={"A": 88, "B": 95}, groups={"B": "g2"})
    assert got == {"A": F(880, 95), "B": 10}


def test_formula_is_clamped_to_lo_and_hi() -> None:
    # P × r with r = v ÷ t, t = 100: v 180 → 18 → hi 15 (1.5 × P);
    # v −50 → −5 → lo −2;  v 50 → 5.  No record → lo (−2).
    raw = {"expr": "P * r", "lo": -2, "hi": 15}
    got = score(
        "formula",
        raw,
        target=100,
        values={"A": 180, "B": -50, "C": 50},
        assessed=["A", "B", "C", "D"],
    )
    assert got == {"A": 15, "B": -2, "C": 5, "D": -2}


def test_formula_t_and_r_are_zero_without_target_and_mean_is_exact() -> None:
    # vmean of 1, 2 = 3/2; t = 0 and r = 0 without a target; n = 2
    raw = {"expr": "vmean + t + r + n + vmin"}
    assert score("formula", raw, values={"A": 1, "B": 2}) == {
        "A": F(9, 2),
        "B": F(9, 2),
    }


def test_formula_errors_name_their_position() -> None:
    problems = ProblemList()
    METHODS["formula"].validate(
        {"type": "formula", "expr": "P * (v +"},
        role="basic",
        points=10,
        path="indicators[4].method",
        problems=problems,
        owner="指标 E1",
    )
    [problem] = problems.problems
    assert problem.path == "indicators[4].method.expr"
    assert problem.code == "formula_error"
    assert "个字符" in problem.message and "P * (v +" in problem.message


def test_bonus_formula_bounds() -> None:
    assert problems_of(
        "formula", {"expr": "v", "lo": -1, "hi": 5, "max": 4}, role="bonus", points=None
    ) == [("method.lo", "negative_not_allowed"), ("method.hi", "above_points")]
    assert problems_of("formula", {"expr": "v", "lo": 5, "hi": 2}) == [
        ("method.lo", "lo_above_hi")
    ]


def test_bonus_formula_p_is_max() -> None:
    assert score(
        "formula", {"expr": "P + 1", "max": 4}, role="bonus", values={"A": 1}
    ) == {"A": 4}


# --- awards --------------------------------------------------------------------

LEVELS = {"national": 3, "provincial": 2, "city": 1}


def aw(id_: str, township: str, level: str, subject: str | None = None) -> Award:
    return Award(id_, township, "X", level, subject)


def test_awards_add_levels_up_to_max() -> None:
    # X1: T03 provincial 2 + city 1 = 3;  T04 2 + 2 + 3 = 7 → max 6
    awards = [
        aw("W-01", "T03", "provincial"),
        aw("W-02", "T03", "city"),
        aw("W-04", "T04", "provincial"),
        aw("W-05", "T04", "provincial"),
        aw("W-06", "T04", "national"),
    ]
    got = score(
        "awards",
        {"levels": LEVELS, "max": 6},
        role="bonus",
        awards=awards,
        assessed=["T01", "T03", "T04"],
    )
    assert got == {"T01": 0, "T03": 3, "T04": 6}


def test_highest_only_counts_a_subject_once_at_its_highest_level() -> None:
    # same subject "河长制" city 1 + provincial 2 → 2; another subject city 1;
    # an award without subject counts on its own → 2 + 1 + 1 = 4
    awards = [
        aw("1", "A", "city", "河长制"),
        aw("2", "A", "provincial", "河长制"),
        aw("3", "A", "city", "垃圾分类"),
        aw("4", "A", "city"),
    ]
    got = score(
        "awards", {"levels": LEVELS, "highest_only": True}, role="bonus", awards=awards
    )
    assert got == {"A": 4}


def test_basic_awards_never_exceed_points() -> None:
    awards = [aw(str(i), "A", "national") for i in range(5)]
    assert score("awards", {"levels": LEVELS}, points=10, awards=awards) == {"A": 10}


# --- explanations ----------------------------------------------------------------


def test_scores_carry_compact_exact_explanations() -> None:
    p = params("ratio", RATIO, points=12)
    item = ItemInputs(
        "X",
        "basic",
        12,
        3000,
        [("A", "g1")],
        {"A": Record("A", "X", value=3600)},
        {},
        (),
        (),
        START,
    )
    [(value, why)] = METHODS["ratio"].score(p, item).values()
    assert value == 14
    assert explain(why) == {
        "v": "3600",
        "t": "3000",
        "r": "1.2",
        "base": "12",
        "excess": "2",
    }
    assert isinstance(why, tuple) and len(why) <= 6


def test_every_method_type_is_registered_with_its_roles() -> None:
    assert {name: sorted(m.roles) for name, m in METHODS.items()} == {
        "ratio": ["basic"],
        "tiers": ["basic", "bonus"],
        "benchmark": ["basic"],
        "rank": ["basic"],
        "deduct": ["basic"],
        "grade": ["basic"],
        "checklist": ["basic"],
        "manual": ["basic", "bonus", "penalty"],
        "formula": ["basic", "bonus"],
        "awards": ["basic", "bonus"],
        "events": ["penalty", "veto"],
    }


@pytest.mark.parametrize("name", sorted(METHODS))
def test_params_round_trip_through_to_dict(name: str) -> None:
    examples: dict[str, tuple[dict[str, Any], str]] = {
        "ratio": (RATIO, "basic"),
        "tiers": (TIERS, "basic"),
        "benchmark": ({"direction": "lower"}, "basic"),
        "rank": ({"scores": [10, 8], "min": 1}, "basic"),
        "deduct": (
            {"per": "0.5", "repeat": {"window_days": 9, "multipliers": [1, "1.5"]}},
            "basic",
        ),
        "grade": ({"grades": {"A": 1, "B": "0.5"}}, "basic"),
        "checklist": ({"items": [{"id": "a", "points": 10}]}, "basic"),
        "manual": ({"max": 2}, "penalty"),
        "formula": ({"expr": "min(v, P)", "hi": 12, "max": 20}, "bonus"),
        "awards": ({"levels": LEVELS, "highest_only": True, "max": 5}, "bonus"),
        "events": ({"per_type": {"a": 1}, "max": 3}, "penalty"),
    }
    raw, role = examples[name]
    method = METHODS[name]
    first = params(name, raw, role=role)
    again = params(name, method.to_dict(first), role=role)
    assert again == first
