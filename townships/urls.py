from __future__ import annotations

from django.urls import path

from townships import views

app_name = "townships"

urlpatterns = [
    path("townships/", views.township_list, name="township-list"),
    path("townships/new/", views.township_edit, name="township-create"),
    path("townships/<str:code>/", views.township_detail, name="township-detail"),
    path("townships/<str:code>/edit/", views.township_edit, name="township-edit"),
    path("groups/", views.group_list, name="group-list"),
    path("groups/new/", views.group_edit, name="group-create"),
    path("groups/<str:code>/edit/", views.group_edit, name="group-edit"),
    path("groups/<str:code>/delete/", views.group_delete, name="group-delete"),
    path("departments/", views.department_list, name="department-list"),
    path("departments/new/", views.department_edit, name="department-create"),
    path("departments/<str:code>/edit/", views.department_edit, name="department-edit"),
    path(
        "departments/<str:code>/delete/",
        views.department_delete,
        name="department-delete",
    ),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<str:username>/edit/", views.user_edit, name="user-edit"),
    path("users/<str:username>/password/", views.user_password, name="user-password"),
]
