from __future__ import annotations

from django.contrib import admin

from townships.models import County, Department, Membership, Township, TownshipGroup


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "office_name"]


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county", "group", "is_active"]
    list_filter = ["county"]


@admin.register(TownshipGroup)
class TownshipGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "county", "role", "township", "department"]
    list_filter = ["county", "role"]
