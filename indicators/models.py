"""Plans (考核方案), their periods and indicator trees, as stored.

The rows are the truth; `indicators.storage` turns them into the spec's plan
document and back. A published plan is immutable: an edit makes a new draft
version (`plan_new_version`).

Plans belong to a county (`townships.County`, referenced by name so that this
app never imports `townships`). Groups and departments of a plan are plain
codes here, as in the plan document; `townships` keeps the county's rows.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from indicators import spec
from indicators.fields import OrderedJSONField

# Exact decimals as written in a plan; import refuses anything finer.
MAX_DIGITS = 24
DECIMAL_PLACES = 8


def exact_decimal(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs
    )


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Rounding(models.TextChoices):
    ITEM = spec.ROUND_ITEM, _("逐项舍入")
    FINAL = spec.ROUND_FINAL, _("最终舍入")


class NAPolicy(models.TextChoices):
    RESCALE = spec.RESCALE, _("按比例折算")
    FULL = spec.FULL, _("按满分计")
    MEAN = spec.MEAN, _("按平均分计")
    FIXED = spec.FIXED, _("按固定分计")


class GradeScope(models.TextChoices):
    GROUP = spec.SCOPE_GROUP, _("类别内")
    ALL = spec.SCOPE_ALL, _("全县")


class IndicatorRole(models.TextChoices):
    BASIC = spec.BASIC, _("基本项")
    BONUS = spec.BONUS, _("加分项")
    PENALTY = spec.PENALTY, _("扣分项")
    VETO = spec.VETO, _("一票否决项")


class Plan(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    county = models.ForeignKey(
        "townships.County", on_delete=models.PROTECT, related_name="plans"
    )
    code = models.CharField(_("方案编码"), max_length=64)
    version = models.PositiveIntegerField(_("版本"), default=1)
    name = models.CharField(_("方案名称"), max_length=200)
    year = models.PositiveIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    precision = models.PositiveSmallIntegerField(_("小数位数"), default=2)
    rounding = models.CharField(
        _("舍入方式"), max_length=8, choices=Rounding.choices, default=Rounding.ITEM
    )
    na_policy = models.CharField(
        _("无此项处理"),
        max_length=8,
        choices=NAPolicy.choices,
        default=NAPolicy.RESCALE,
    )
    bonus_cap = exact_decimal(_("加分上限"), null=True, blank=True)
    penalty_cap = exact_decimal(_("扣分上限"), null=True, blank=True)
    tie_break = models.JSONField(_("同分排序"), default=list, blank=True)
    grades = models.JSONField(_("等次"), default=list, blank=True)
    grade_scope = models.CharField(
        _("等次评定范围"),
        max_length=8,
        choices=GradeScope.choices,
        default=GradeScope.GROUP,
    )
    veto = models.JSONField(_("一票否决处理"), default=dict, blank=True)
    groups = models.JSONField(_("考核类别"), default=list, blank=True)
    departments = models.JSONField(_("考核部门"), default=list, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["county", "-year", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "code", "version"], name="one_plan_version_per_county"
            ),
            # Editing happens on one draft at a time.
            models.UniqueConstraint(
                fields=["county", "code"],
                condition=Q(status="draft"),
                name="one_draft_per_plan_code",
            ),
            models.CheckConstraint(
                condition=Q(precision__lte=DECIMAL_PLACES), name="plan_precision_fits"
            ),
            models.CheckConstraint(
                condition=Q(rounding__in=Rounding.values), name="plan_rounding_valid"
            ),
            models.CheckConstraint(
                condition=Q(na_policy__in=NAPolicy.values), name="plan_na_policy_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(bonus_cap__isnull=True) | Q(bonus_cap__gte=0),
                name="plan_bonus_cap_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(penalty_cap__isnull=True) | Q(penalty_cap__gte=0),
                name="plan_penalty_cap_not_negative",
            ),
            # Published plans are dated; drafts are not.
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="plan_published_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}(v{self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT


class Period(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods")
    code = models.CharField(_("周期编码"), max_length=64)
    name = models.CharField(_("周期名称"), max_length=200)
    start = models.DateField(_("开始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], name="one_period_code_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(start__lte=F("end")),
                name="period_starts_before_it_ends",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PeriodComponent(models.Model):
    """One period of a composite period, with an exact weight num/den."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="components"
    )
    component = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    weight_numerator = models.PositiveBigIntegerField()
    weight_denominator = models.PositiveBigIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["period", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "component"], name="one_weight_per_component"
            ),
            models.CheckConstraint(
                condition=~Q(period=F("component")), name="period_not_its_own_component"
            ),
            models.CheckConstraint(
                condition=Q(weight_numerator__gt=0) & Q(weight_denominator__gt=0),
                name="component_weight_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component} ×{self.weight_numerator}/{self.weight_denominator}"


class Indicator(models.Model):
    """A node of the tree: a category (no role) or a leaf item (a role and a method)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    code = models.CharField(_("指标编码"), max_length=64)
    name = models.CharField(_("指标名称"), max_length=200)
    # NULL marks a category: the constraints below read it that way.
    role = models.CharField(  # noqa: DJ001
        _("类型"), max_length=8, choices=IndicatorRole.choices, null=True, blank=True
    )
    points = exact_decimal(_("分值"), null=True, blank=True)
    scaled = models.BooleanField(_("按比例折算"), default=False)
    method_type = models.CharField(_("计分方法"), max_length=16, blank=True)
    params = OrderedJSONField(_("参数"), default=dict, blank=True)
    groups = models.JSONField(_("适用类别"), null=True, blank=True)
    target = exact_decimal(_("目标值"), null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=32, blank=True)
    department = models.CharField(_("牵头部门"), max_length=32, blank=True)
    evidence = models.JSONField(_("佐证材料"), default=list, blank=True)
    criteria = models.TextField(_("评分标准"), blank=True)
    na_policy = models.CharField(
        _("无此项处理"), max_length=8, choices=NAPolicy.choices, blank=True
    )
    na_score = exact_decimal(_("无此项得分"), null=True, blank=True)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["plan", "parent_id", "position"]
        indexes = [
            # The tree is read per plan in one query (storage.plan_document).
            models.Index(fields=["plan", "position"], name="indicator_plan_position"),
            # Department pages list their own items.
            models.Index(
                fields=["plan", "department"], name="indicator_plan_department"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], name="one_indicator_code_per_plan"
            ),
            # A category has no method; a leaf has a role and a method.
            models.CheckConstraint(
                condition=Q(role__isnull=True, method_type="")
                | (Q(role__isnull=False) & ~Q(method_type="")),
                name="indicator_leaf_has_role_and_method",
            ),
            models.CheckConstraint(
                condition=Q(role__isnull=True) | Q(role__in=IndicatorRole.values),
                name="indicator_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(scaled=False) | Q(role__isnull=True, points__isnull=False),
                name="indicator_only_categories_scale_with_points",
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0),
                name="indicator_points_not_negative",
            ),
            # Only basic items carry points among leaves (bonus/penalty use max).
            models.CheckConstraint(
                condition=Q(role__isnull=True)
                | Q(role="basic", points__isnull=False)
                | Q(role__in=["bonus", "penalty", "veto"], points__isnull=True),
                name="indicator_points_match_role",
            ),
            models.CheckConstraint(
                condition=Q(na_policy="") | Q(na_policy__in=NAPolicy.values),
                name="indicator_na_policy_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_category(self) -> bool:
        return self.role is None


def decimal_fits(value: Decimal) -> bool:
    """Whether a value is stored exactly by the decimal columns above."""
    exponent = value.as_tuple().exponent
    digits = len(value.as_tuple().digits)
    return (
        isinstance(exponent, int)
        and -exponent <= DECIMAL_PLACES
        and (digits - max(0, -exponent) <= MAX_DIGITS - DECIMAL_PLACES)
    )
