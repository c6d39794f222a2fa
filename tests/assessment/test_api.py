"""Plans, periods, computations and results through /api/v1/."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessment.models import Computation
from indicators.models import Plan, PlanStatus
from tests.factories import CountyFactory
from townships.models import County, Department, Role, Township, TownshipGroup

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "assessment" / "demo_data"
PLAN_TEXT = (DEMO / "plan-2026.json").read_text(encoding="utf-8")


def _post_json(client: Client, url: str, data: Any) -> Any:
    return client.post(
        url, data=json.dumps(data, ensure_ascii=False), content_type="application/json"
    )


@pytest.fixture
def admin(login: Callable[..., Client]) -> Client:
    return login(Role.ADMIN)


def _county(client: Client) -> County:
    return client.user.membership.county  # type: ignore[attr-defined]


def test_admin_imports_a_plan_as_json_body(admin: Client) -> None:
    response = admin.post(
        reverse("api:plan-import"), data=PLAN_TEXT, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["code"], body["version"], body["status"]) == ("2026-xz", 1, "draft")
    assert body["document"]["indicators"][0]["children"][0]["method"]["floor"] == "0.5"
    # The county now has the plan's groups and departments.
    assert TownshipGroup.objects.filter(county=_county(admin)).count() == 3
    assert Department.objects.filter(county=_county(admin), code="yjj").exists()


def test_admin_imports_a_plan_file(admin: Client) -> None:
    upload = SimpleUploadedFile(
        "方案.json", PLAN_TEXT.encode(), content_type="application/json"
    )
    response = admin.post(reverse("api:plan-import"), {"file": upload})
    assert response.status_code == 201


def test_bad_plan_lists_every_problem_and_writes_nothing(admin: Client) -> None:
    plan = json.loads(PLAN_TEXT)
    plan["precision"] = "two"
    plan["indicators"][1]["children"][1]["method"]["per_type"]["major"] = "5分"
    response = _post_json(admin, reverse("api:plan-import"), plan)
    assert response.status_code == 400
    body = response.json()
    paths = {p["path"] for p in body["extra"]["problems"]}
    assert {"precision", "indicators[1].children[1].method.per_type.major"} <= paths
    assert "处错误" in body["message"]
    assert not Plan.objects.exists()


def test_validate_does_not_write(admin: Client) -> None:
    ok = admin.post(
        reverse("api:plan-validate"), data=PLAN_TEXT, content_type="application/json"
    )
    assert ok.json() == {"valid": True, "problems": []}
    bad = _post_json(
        admin, reverse("api:plan-validate"), {"format": "assessment-plan/1"}
    )
    assert bad.json()["valid"] is False and bad.json()["problems"]
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ("{not json", "application/json", "不是有效的 JSON"),
        ("[1, 2]", "application/json", "最外层应为对象"),
        ('{"a": NaN}', "application/json", "不允许出现 NaN"),
        ("", "application/json", "请上传方案文件"),
    ],
)
def test_malformed_bodies_get_400_in_chinese(
    admin: Client, body: str, content_type: str, message: str
) -> None:
    response = admin.post(
        reverse("api:plan-import"), data=body, content_type=content_type
    )
    assert response.status_code == 400
    assert message in json.dumps(response.json(), ensure_ascii=False)


def test_unknown_upload_type_is_refused(admin: Client) -> None:
    upload = SimpleUploadedFile(
        "plan.exe", b"MZ\x90\x00", content_type="application/octet-stream"
    )
    response = admin.post(reverse("api:plan-import"), {"file": upload})
    assert response.status_code == 400
    assert "无法识别的文件类型" in json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize("role", [Role.LEADER, Role.TOWNSHIP, Role.DEPARTMENT])
def test_only_admins_import_publish_and_compute(
    login: Callable[..., Client], role: Role
) -> None:
    client = login(role)
    assert (
        client.post(
            reverse("api:plan-import"), data=PLAN_TEXT, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.post(reverse("api:plan-publish", args=["2026-xz"])).status_code == 403
    assert (
        client.post(reverse("api:compute", args=["2026-xz", "2026Q1"])).status_code
        == 403
    )
    assert not Plan.objects.exists()


@pytest.fixture
def computed(admin: Client) -> Client:
    county = _county(admin)
    call_command(
        "import_plan",
        str(DEMO / "plan-2026.json"),
        "--county",
        county.code,
        "--publish",
        stdout=StringIO(),
    )
    call_command(
        "import_data",
        str(DEMO / "data-2026Q1.json"),
        "--county",
        county.code,
        stdout=StringIO(),
    )
    call_command(
        "compute",
        "2026-xz",
        "2026Q1",
        "--sync",
        "--county",
        county.code,
        stdout=StringIO(),
    )
    return admin


def test_results_endpoint_returns_the_spec_document(computed: Client) -> None:
    body = computed.get(reverse("api:result", args=["2026-xz", "2026Q1"])).json()
    assert body == json.loads((DEMO / "expected-2026Q1.json").read_text())


def test_township_gets_only_its_own_result(
    login: Callable[..., Client], computed: Client
) -> None:
    t03 = Township.objects.get(county=_county(computed), code="T03")
    body = (
        login(Role.TOWNSHIP, township=t03)
        .get(reverse("api:result", args=["2026-xz", "2026Q1"]))
        .json()
    )
    assert [t["code"] for t in body["townships"]] == ["T03"]


def test_other_county_sees_nothing(
    login: Callable[..., Client], computed: Client
) -> None:
    other = login(Role.ADMIN, county=CountyFactory())
    assert (
        other.get(reverse("api:result", args=["2026-xz", "2026Q1"])).status_code == 404
    )
    assert other.get(reverse("api:plan-detail", args=["2026-xz"])).status_code == 404
    assert other.get(reverse("api:plan-list")).json() == []
    assert (
        other.post(reverse("api:compute", args=["2026-xz", "2026Q1"])).status_code
        == 400
    )
    computation = Computation.objects.first()
    assert computation is not None
    assert (
        other.get(reverse("api:computation", args=[computation.uuid])).status_code
        == 404
    )


def test_periods_say_which_are_computed(computed: Client) -> None:
    periods = computed.get(reverse("api:period-list", args=["2026-xz"])).json()
    by_code = {p["code"]: p for p in periods}
    assert by_code["2026Q1"]["computed_at"] is not None
    assert by_code["2026Q2"]["computed_at"] is None


def test_compute_queues_a_computation_and_requests_coalesce(computed: Client) -> None:
    first = computed.post(reverse("api:compute", args=["2026-xz", "2026Q1"]))
    second = computed.post(reverse("api:compute", args=["2026-xz", "2026Q1"]))
    assert first.status_code == second.status_code == 202
    assert first.json()["uuid"] == second.json()["uuid"]
    assert first.json()["status"] == "pending"
    status = computed.get(
        reverse("api:computation", args=[first.json()["uuid"]])
    ).json()
    assert status["plan"] == "2026-xz"


def test_export_round_trips_and_publish_freezes(computed: Client) -> None:
    exported = computed.get(reverse("api:plan-export", args=["2026-xz"]))
    assert exported["Content-Disposition"] == 'attachment; filename="2026-xz-v1.json"'
    from indicators.plan_format import parse_plan
    from indicators.services import load_json_document

    assert parse_plan(load_json_document(exported.content)) == parse_plan(
        load_json_document(PLAN_TEXT)
    )
    # Published: publishing again is refused; a new version is a draft copy.
    again = computed.post(reverse("api:plan-publish", args=["2026-xz"]))
    assert again.status_code == 400 and "没有草稿" in again.json()["message"]
    new = computed.post(reverse("api:plan-new-version", args=["2026-xz"]))
    assert new.status_code == 201 and new.json()["version"] == 2
    assert (
        computed.post(reverse("api:plan-new-version", args=["2026-xz"])).status_code
        == 400
    )
    published = computed.post(reverse("api:plan-publish", args=["2026-xz"]))
    assert published.json()["status"] == PlanStatus.PUBLISHED
    v1 = computed.get(
        reverse("api:plan-detail", args=["2026-xz"]) + "?version=1"
    ).json()
    assert v1["version"] == 1
    assert (
        computed.get(
            reverse("api:plan-detail", args=["2026-xz"]) + "?version=x"
        ).status_code
        == 404
    )


def test_unknown_codes_are_404(admin: Client) -> None:
    assert admin.get(reverse("api:plan-detail", args=["nope"])).status_code == 404
    assert admin.get(reverse("api:plan-export", args=["nope"])).status_code == 404
    assert admin.post(reverse("api:plan-publish", args=["nope"])).status_code == 404
    assert admin.get(reverse("api:result", args=["nope", "x"])).status_code == 404
    assert admin.get("/api/v1/computations/not-a-uuid/").status_code == 404


def test_wrong_methods_are_405(admin: Client) -> None:
    assert admin.get(reverse("api:plan-import")).status_code == 405
    assert admin.delete(reverse("api:plan-detail", args=["x"])).status_code == 405
    assert admin.get(reverse("api:compute", args=["a", "b"])).status_code == 405


def test_anonymous_gets_403(client: Client) -> None:
    for url in (reverse("api:plan-list"), reverse("api:result", args=["a", "b"])):
        assert client.get(url).status_code == 403


def test_openapi_schema_is_valid_and_complete(tmp_path: Path) -> None:
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text(encoding="utf-8")
    for path in (
        "/api/v1/plans/",
        "/api/v1/plans/import/",
        "/api/v1/plans/validate/",
        "/api/v1/plans/{code}/export/",
        "/api/v1/plans/{code}/periods/",
        "/api/v1/plans/{code}/publish/",
        "/api/v1/results/{plan}/{period}/",
        "/api/v1/results/{plan}/{period}/compute/",
        "/api/v1/computations/{uuid}/",
    ):
        assert path in schema


def test_oversize_upload_is_refused_on_page_and_api(
    admin: Client, monkeypatch: Any
) -> None:
    import indicators.files

    monkeypatch.setattr(indicators.files, "MAX_UPLOAD", 100)
    for url in (reverse("api:plan-import"), reverse("plan-import-page")):
        upload = SimpleUploadedFile("方案.json", PLAN_TEXT.encode())
        response = admin.post(url, {"file": upload})
        assert response.status_code == 400
        assert "超过" in response.content.decode()
    assert not Plan.objects.exists()
