"""Computations (计算任务) and the result sets they produce.

A computation is an idempotent row: the message that starts it is only a
nudge. Its results are written as a new result set and swapped in atomically,
so readers always see one complete set (QUALITY.md 11).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.fields import OrderedJSONField


class ComputationStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class PeriodKey(models.Model):
    """A period by codes: the computation uses whichever plan version is current
    when it runs (a pending computation survives a new version)."""

    county = models.ForeignKey(
        "townships.County", on_delete=models.CASCADE, related_name="+"
    )
    plan_code = models.CharField(_("方案编码"), max_length=64)
    period_code = models.CharField(_("周期编码"), max_length=64)

    class Meta:
        abstract = True


class Computation(PeriodKey):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ComputationStatus.choices,
        default=ComputationStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    error = models.TextField(_("错误"), blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("计算任务")
        verbose_name_plural = _("计算任务")
        ordering = ["-requested_at"]
        indexes = [
            # The sweeper finds stuck computations by status and age.
            models.Index(
                fields=["status", "requested_at"], name="computation_status_age"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ComputationStatus.values),
                name="computation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="computation_progress_percent"
            ),
            # At most one waiting computation per period: requests coalesce.
            models.UniqueConstraint(
                fields=["county", "plan_code", "period_code"],
                condition=Q(status="pending"),
                name="one_pending_computation_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_code}/{self.period_code} · {self.get_status_display()}"


class ResultSet(PeriodKey):
    """One complete set of results for a period; at most one is current."""

    # The plan version the figures were computed with.
    plan = models.ForeignKey(
        "indicators.Plan", on_delete=models.PROTECT, related_name="+"
    )
    computation = models.OneToOneField(
        Computation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="result_set",
    )
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan_code", "period_code"],
                condition=Q(is_current=True),
                name="one_current_result_set_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_code}/{self.period_code} #{self.pk}"


class TownshipResult(models.Model):
    """A township's published figures in one result set.

    `data` holds the township's entry of the assessment-result/1 document
    (scores as strings with exactly `precision` decimals) and `explanations`
    the per-indicator workings; the columns are copies for sorting and filtering.
    """

    result_set = models.ForeignKey(
        ResultSet, on_delete=models.CASCADE, related_name="townships"
    )
    township = models.ForeignKey(
        "townships.Township", on_delete=models.PROTECT, related_name="results"
    )
    group_code = models.CharField(_("类别"), max_length=32)
    total = models.DecimalField(_("总分"), max_digits=24, decimal_places=8)
    basic = models.DecimalField(_("基本分"), max_digits=24, decimal_places=8)
    bonus = models.DecimalField(_("加分"), max_digits=24, decimal_places=8)
    penalty = models.DecimalField(_("扣分"), max_digits=24, decimal_places=8)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    rank = models.PositiveIntegerField(_("全县排名"))
    group_rank = models.PositiveIntegerField(_("类别内排名"))
    grade = models.CharField(_("等次"), max_length=32, blank=True)
    data = OrderedJSONField()
    explanations = OrderedJSONField(default=dict)

    class Meta:
        ordering = ["rank", "township__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["result_set", "township"],
                name="one_result_per_township_per_set",
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(group_rank__gte=1),
                name="result_ranks_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.total}"
