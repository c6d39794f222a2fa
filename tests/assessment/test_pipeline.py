"""The command-line pipeline: import → database → Celery job → export.

The worked example of the scoring spec must come out to the cent, through a
real worker, on whichever database the suite runs on.
"""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessment.models import Computation, ComputationStatus, ResultSet, TownshipResult
from indicators.models import Indicator, Plan, PlanStatus
from townships.models import County, Event, Record, Township

DEMO = Path(__file__).resolve().parents[2] / "assessment" / "demo_data"
PLAN, DATA, EXPECTED = (
    DEMO / n for n in ("plan-2026.json", "data-2026Q1.json", "expected-2026Q1.json")
)


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _import_example() -> None:
    _run("import_plan", str(PLAN), "--county", "demo", "--publish")
    _run("import_data", str(DATA))


@pytest.mark.slow
def test_worked_example_through_a_real_worker(worker: str, tmp_path: Path) -> None:
    _import_example()
    assert "计算完成" in _run(
        "compute", "2026-xz", "2026Q1", "--wait", "--timeout", "120"
    )
    out = tmp_path / "result.json"
    _run("export_results", "2026-xz", "2026Q1", "-o", str(out))
    assert json.loads(out.read_text()) == json.loads(EXPECTED.read_text())
    # Byte-stable: the expected file's own layout, plus a final newline.
    assert (
        out.read_text(encoding="utf-8") == EXPECTED.read_text(encoding="utf-8") + "\n"
    )


@pytest.mark.django_db
def test_worked_example_in_process_matches_too(tmp_path: Path) -> None:
    _import_example()
    _run("compute", "2026-xz", "2026Q1", "--sync")
    out = _run("export_results", "2026-xz", "2026Q1")
    assert json.loads(out) == json.loads(EXPECTED.read_text())
    t06 = TownshipResult.objects.get(township__code="T06", result_set__is_current=True)
    # Columns mirror the document for sorting: T06 is vetoed and ranked last.
    assert (t06.total, t06.rank, t06.vetoed, t06.grade) == (
        Decimal("90.47"),
        7,
        True,
        "fair",
    )
    assert "E1" in t06.explanations


@pytest.mark.django_db
def test_recomputing_swaps_in_one_complete_result_set() -> None:
    _import_example()
    _run("compute", "2026-xz", "2026Q1", "--sync")
    _run("compute", "2026-xz", "2026Q1", "--sync")
    assert ResultSet.objects.count() == 2
    current = ResultSet.objects.get(is_current=True)
    assert current.townships.count() == 7
    assert Computation.objects.filter(status=ComputationStatus.DONE).count() == 2


@pytest.mark.django_db
def test_running_a_finished_computation_again_changes_nothing() -> None:
    from assessment.services import computation_run

    _import_example()
    _run("compute", "2026-xz", "2026Q1", "--sync")
    done = Computation.objects.get()
    computation_run(computation_uuid=str(done.uuid))  # a redelivered message
    assert ResultSet.objects.count() == 1
    assert TownshipResult.objects.count() == 7


@pytest.mark.django_db
def test_an_interrupted_computation_runs_again_cleanly() -> None:
    from assessment.services import computation_run

    _import_example()
    _run("compute", "2026-xz", "2026Q1")  # enqueued; no worker in this test
    computation = Computation.objects.get()
    # As if a worker died mid-run: the row says running, no results were swapped in.
    Computation.objects.filter(pk=computation.pk).update(
        status=ComputationStatus.RUNNING
    )
    computation_run(computation_uuid=str(computation.uuid))
    computation.refresh_from_db()
    assert (computation.status, computation.attempts) == (ComputationStatus.DONE, 1)
    assert ResultSet.objects.filter(is_current=True).count() == 1


@pytest.mark.django_db
def test_importing_the_same_files_twice_leaves_the_same_state() -> None:
    _import_example()
    counts = (Record.objects.count(), Event.objects.count(), Township.objects.count())
    _run("import_data", str(DATA))
    assert (
        Record.objects.count(),
        Event.objects.count(),
        Township.objects.count(),
    ) == counts
    # Re-importing the plan replaces the draft or adds a version; never duplicates.
    _run("import_plan", str(PLAN), "--county", "demo")
    assert list(Plan.objects.values_list("version", "status").order_by("version")) == [
        (1, PlanStatus.PUBLISHED),
        (2, PlanStatus.DRAFT),
    ]
    _run("import_plan", str(PLAN), "--county", "demo")
    assert Plan.objects.count() == 2


@pytest.mark.django_db
def test_a_broken_plan_lists_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    plan = json.loads(PLAN.read_text())
    plan["indicators"][0]["points"] = 41  # children add up to 40
    plan["indicators"][0]["children"][0]["method"]["excess"]["step"] = "九十五"
    plan["indicators"][4]["children"][0]["method"]["expr"] = "P * v / vmax +"
    plan["indicators"][0]["children"][1]["department"] = "nope"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(plan, ensure_ascii=False))
    with pytest.raises(CommandError) as excinfo:
        _run("import_plan", str(broken), "--county", "demo")
    message = str(excinfo.value)
    for path in (
        "indicators[0].points",
        "indicators[0].children[0].method.excess.step",
        "indicators[4].children[0].method.expr",
        "indicators[0].children[1].department",
    ):
        assert path in message
    assert not Plan.objects.exists()
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_broken_data_writes_nothing(tmp_path: Path) -> None:
    _run("import_plan", str(PLAN), "--county", "demo", "--publish")
    data = json.loads(DATA.read_text())
    data["records"].append(dict(data["records"][0]))  # duplicate pair
    data["records"][1]["value"] = "1,286"
    data["events"][0]["date"] = "2026-04-01"  # after the period ends
    data["townships"].append({"code": "T99", "name": "新镇", "group": "nope"})
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(CommandError) as excinfo:
        _run("import_data", str(broken))
    message = str(excinfo.value)
    assert "records[1].value" in message
    assert "events[0].date" in message
    assert "townships[7].group" in message
    assert "records[60]" in message
    assert not Record.objects.exists()
    assert not Township.objects.exists()


@pytest.mark.django_db
def test_commands_explain_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        _run("import_plan", str(tmp_path / "missing.json"))
    (tmp_path / "x.json").write_text("{not json")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        _run("import_plan", str(tmp_path / "x.json"))
    with pytest.raises(CommandError, match="还没有任何县"):
        _run("compute", "2026-xz", "2026Q1")
    _run("import_plan", str(PLAN), "--county", "demo")
    with pytest.raises(CommandError, match="没有编码为“2027Q1”的考核周期"):
        _run("compute", "2026-xz", "2027Q1", "--sync")
    with pytest.raises(CommandError, match="还没有计算结果"):
        _run("export_results", "2026-xz", "2026Q1")
    County.objects.create(code="other", name="另一县")
    with pytest.raises(CommandError, match="有多个县"):
        _run("export_results", "2026-xz", "2026Q1")


@pytest.mark.django_db
def test_compute_without_data_fails_with_a_reason() -> None:
    _run("import_plan", str(PLAN), "--county", "demo")
    with pytest.raises(CommandError, match="还没有参加考核的乡镇"):
        _run("compute", "2026-xz", "2026Q1", "--sync")


@pytest.mark.django_db
def test_plan_exports_round_trip(tmp_path: Path) -> None:
    _run("import_plan", str(PLAN), "--county", "demo")
    exported = tmp_path / "plan.json"
    _run("export_plan", "2026-xz", "-o", str(exported))
    from indicators.plan_format import parse_plan
    from indicators.services import load_json_document

    original = parse_plan(load_json_document(PLAN.read_bytes()))
    assert parse_plan(load_json_document(exported.read_bytes())) == original


@pytest.mark.django_db
def test_excel_round_trip_through_the_database(tmp_path: Path) -> None:
    """export_plan --format xlsx → import_plan (another county) → same plan;
    period data from .xlsx gives the same results as from JSON."""
    from indicators.selectors import plan_current
    from indicators.services import load_json_document
    from indicators.storage import plan_spec
    from indicators.xlsx import period_data_to_xlsx

    _run("import_plan", str(PLAN), "--county", "demo", "--publish")
    workbook = tmp_path / "考核细则.xlsx"
    _run(
        "export_plan",
        "2026-xz",
        "--county",
        "demo",
        "--format",
        "xlsx",
        "-o",
        str(workbook),
    )
    _run("import_plan", str(workbook), "--county", "copy", "--publish")
    demo, copy = (County.objects.get(code=c) for c in ("demo", "copy"))
    original = plan_current(demo, "2026-xz")
    imported = plan_current(copy, "2026-xz")
    assert original is not None and imported is not None
    assert plan_spec(imported) == plan_spec(original)

    data = tmp_path / "数据.xlsx"
    data.write_bytes(period_data_to_xlsx(load_json_document(DATA.read_bytes())))
    _run("import_data", str(data), "--county", "copy")
    _run("compute", "2026-xz", "2026Q1", "--sync", "--county", "copy")
    out = _run("export_results", "2026-xz", "2026Q1", "--county", "copy")
    assert json.loads(out) == json.loads(EXPECTED.read_text())


@pytest.mark.parametrize(
    "command",
    ["import_plan", "import_data", "compute", "export_results", "export_plan"],
)
def test_every_command_documents_itself(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command(command, "--help")
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    assert "--county" in help_text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in help_text)  # explained in Chinese
