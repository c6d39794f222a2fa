from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("考核结果")

    def ready(self) -> None:
        # Bind @shared_task to our app in every process that loads Django.
        # Done here rather than in assessment/__init__.py so that the pure
        # scoring engine (assessment.engine) imports without Celery or Django.
        from assessment import celery  # noqa: F401
