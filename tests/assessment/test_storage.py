"""Files on an S3-compatible store (moto stands in for the store, not our code)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from moto import mock_aws


@pytest.fixture
def s3_settings(settings: Any) -> Any:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "kaohe-private",
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    return settings


def test_storage_init_creates_the_bucket_once(s3_settings: Any) -> None:
    with mock_aws():
        first, second = StringIO(), StringIO()
        call_command("storage_init", stdout=first)
        call_command("storage_init", stdout=second)
        assert "已创建私有存储桶 kaohe-private" in first.getvalue()
        assert "已存在" in second.getvalue()
        storage = storages["default"]
        name = storage.save("evidence/签到表.pdf", ContentFile(b"%PDF-1.4 test"))
        assert storage.open(name).read() == b"%PDF-1.4 test"
        acl = storage.connection.meta.client.get_object_acl(
            Bucket="kaohe-private", Key=name
        )
        grantees = [g["Grantee"].get("URI", "") for g in acl["Grants"]]
        assert not any("AllUsers" in uri for uri in grantees)


def test_storage_init_is_a_no_op_on_local_storage() -> None:
    out = StringIO()
    call_command("storage_init", stdout=out)
    assert "本地私有存储" in out.getvalue()
