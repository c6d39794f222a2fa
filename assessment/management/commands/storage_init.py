"""Create the private bucket on an S3-compatible store if it is missing."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "在对象存储上创建私有存储桶(已存在则跳过);本地存储时无需操作。"

    def handle(self, *args: Any, **options: Any) -> None:
        bucket = getattr(default_storage, "bucket", None)
        if bucket is None:
            self.stdout.write("本地私有存储,无需初始化。")
            return
        client = default_storage.connection.meta.client  # type: ignore[attr-defined]
        existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
        if bucket.name in existing:
            self.stdout.write(f"存储桶 {bucket.name} 已存在。")
            return
        client.create_bucket(Bucket=bucket.name)
        self.stdout.write(self.style.SUCCESS(f"已创建私有存储桶 {bucket.name}。"))
