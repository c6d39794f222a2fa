"""Counties, their townships, groups and departments, and who may do what.

Every row belongs to one county (the tenant). A user holds exactly one
membership: one role in one county, bound to a department or a township for
those two roles.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$",
    _("编码只能使用字母、数字、下划线、点或连字符,以字母或数字开头,最长32位"),
)


class County(models.Model):
    code = models.CharField(
        _("编码"), max_length=32, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("名称"), max_length=100)
    # The assessment office's short name, used for document numbers (×考办).
    office_name = models.CharField(_("考核办名称"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("县(市、区)")
        verbose_name_plural = _("县(市、区)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TownshipGroup(models.Model):
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("编码"), max_length=32, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("类别")
        verbose_name_plural = _("类别")
        ordering = ["county", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "code"], name="one_group_code_per_county"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Township(models.Model):
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="townships"
    )
    code = models.CharField(_("编码"), max_length=32, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    group = models.ForeignKey(
        TownshipGroup,
        verbose_name=_("类别"),
        on_delete=models.PROTECT,
        related_name="townships",
        null=True,
        blank=True,
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("参加考核"), default=True)

    class Meta:
        verbose_name = _("乡镇(街道)")
        verbose_name_plural = _("乡镇(街道)")
        ordering = ["county", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "code"], name="one_township_code_per_county"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="departments"
    )
    code = models.CharField(_("编码"), max_length=32, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("考核部门")
        verbose_name_plural = _("考核部门")
        ordering = ["county", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "code"], name="one_department_code_per_county"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("考核办")
    DEPARTMENT = "department", _("考核部门")
    TOWNSHIP = "township", _("乡镇(街道)")
    LEADER = "leader", _("县领导")


class Membership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    township = models.ForeignKey(
        Township,
        verbose_name=_("所属乡镇"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("账号角色")
        verbose_name_plural = _("账号角色")
        constraints = [
            # A department user is bound to a department and nothing else; a
            # township user to a township; admins and leaders to neither.
            models.CheckConstraint(
                condition=(
                    Q(
                        role=Role.DEPARTMENT,
                        department__isnull=False,
                        township__isnull=True,
                    )
                    | Q(
                        role=Role.TOWNSHIP,
                        township__isnull=False,
                        department__isnull=True,
                    )
                    | Q(
                        role__in=[Role.ADMIN, Role.LEADER],
                        township__isnull=True,
                        department__isnull=True,
                    )
                ),
                name="membership_binding_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


# --- A period's data: who is assessed, targets, records, events, awards -------
# Keyed by the plan's and period's codes, as in the period data document
# (scoring.md section 3), not by a plan version's rows: a new version of a plan
# (an edit after publication) keeps the data already entered.


class PeriodData(models.Model):
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    plan_code = models.CharField(_("方案编码"), max_length=64)
    period_code = models.CharField(_("周期编码"), max_length=64)

    class Meta:
        abstract = True


class Participation(PeriodData):
    """A township assessed in a period, and the group it is ranked in then."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+")
    group_code = models.CharField(_("类别"), max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan_code", "period_code", "township"],
                name="one_participation_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_code} {self.township}"


class Target(PeriodData):
    """A township's own target on an item for a period (overrides the plan's)."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="targets"
    )
    indicator = models.CharField(_("指标"), max_length=64)
    target = models.DecimalField(_("目标值"), max_digits=24, decimal_places=8)

    class Meta:
        verbose_name = _("目标任务")
        verbose_name_plural = _("目标任务")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan_code", "period_code", "township", "indicator"],
                name="one_target_per_item_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_code} {self.township} {self.indicator}"


class RecordStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")


class Record(PeriodData):
    """A township's figure for one item in one period (填报数据)."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="records"
    )
    indicator = models.CharField(_("指标"), max_length=64)
    value = models.DecimalField(
        _("数值"), max_digits=24, decimal_places=8, null=True, blank=True
    )
    grade = models.CharField(_("等级"), max_length=32, blank=True)
    items = models.JSONField(_("清单项"), null=True, blank=True)
    score = models.DecimalField(
        _("得分"), max_digits=24, decimal_places=8, null=True, blank=True
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=RecordStatus.choices,
        default=RecordStatus.APPROVED,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("填报数据")
        verbose_name_plural = _("填报数据")
        indexes = [
            # The computation loads a period's approved records in one query.
            models.Index(
                fields=["county", "plan_code", "period_code", "status"],
                name="record_period_status",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan_code", "period_code", "township", "indicator"],
                name="one_record_per_item_period",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RecordStatus.values), name="record_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_code} {self.township} {self.indicator}"


class Event(models.Model):
    """An incident (事故, 信访, 隐患 …) on a date. It belongs to the plan, not to
    one period: earlier events count for repeat escalation later."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    plan_code = models.CharField(_("方案编码"), max_length=64)
    code = models.CharField(_("编号"), max_length=64)
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="events"
    )
    indicator = models.CharField(_("指标"), max_length=64)
    type = models.CharField(_("类型"), max_length=32, blank=True)
    date = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        indexes = [
            # The computation loads a plan's events up to a period's end.
            models.Index(
                fields=["county", "plan_code", "date"], name="event_plan_date"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan_code", "code"], name="one_event_id_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.township} {self.indicator}"


class Award(PeriodData):
    """A recognition (表彰) counted in one period."""

    code = models.CharField(_("编号"), max_length=64)
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="awards"
    )
    indicator = models.CharField(_("指标"), max_length=64)
    level = models.CharField(_("级别"), max_length=32)
    subject = models.CharField(_("事项"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan_code", "period_code", "code"],
                name="one_award_id_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.township} {self.indicator}"


class Exemption(PeriodData):
    """An item a township is excused from in a period (免考), with the reason."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="exemptions"
    )
    indicator = models.CharField(_("指标"), max_length=64)
    reason = models.CharField(_("原因"), max_length=500)

    class Meta:
        verbose_name = _("免考")
        verbose_name_plural = _("免考")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "plan_code", "period_code", "township", "indicator"],
                name="one_exemption_per_item_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_code} {self.township} {self.indicator}"
