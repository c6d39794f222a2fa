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
