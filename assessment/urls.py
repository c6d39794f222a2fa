from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from assessment import api, views
from assessment.views import plans
from townships import api as townships_api
from townships import views as townships_views

api_v1 = [
    path("plans/", api.PlanListView.as_view(), name="plan-list"),
    path("plans/import/", api.PlanImportView.as_view(), name="plan-import"),
    path("plans/validate/", api.PlanValidateView.as_view(), name="plan-validate"),
    path("plans/<str:code>/", api.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<str:code>/export/", api.PlanExportView.as_view(), name="plan-export"),
    path("plans/<str:code>/periods/", api.PeriodListView.as_view(), name="period-list"),
    path(
        "plans/<str:code>/publish/", api.PlanPublishView.as_view(), name="plan-publish"
    ),
    path(
        "plans/<str:code>/versions/",
        api.PlanNewVersionView.as_view(),
        name="plan-new-version",
    ),
    path("results/<str:plan>/<str:period>/", api.ResultView.as_view(), name="result"),
    path(
        "results/<str:plan>/<str:period>/compute/",
        api.ComputeView.as_view(),
        name="compute",
    ),
    path(
        "computations/<uuid:uuid>/", api.ComputationView.as_view(), name="computation"
    ),
    path("me/", townships_api.MeView.as_view(), name="me"),
    path("townships/", townships_api.TownshipListView.as_view(), name="township-list"),
    path(
        "townships/<str:code>/",
        townships_api.TownshipDetailView.as_view(),
        name="township-detail",
    ),
]

urlpatterns = [
    path("", townships_views.home, name="home"),
    path("accounts/login/", townships_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", townships_views.password_change, name="password-change"),
    path("org/", include("townships.urls")),
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/import/", plans.plan_import_page, name="plan-import-page"),
    path("plans/<str:code>/", plans.plan_current_redirect, name="plan-current"),
    path("plans/<str:code>/diff/", plans.plan_diff_page, name="plan-diff"),
    path("plans/<str:code>/v<int:version>/", plans.plan_detail, name="plan-detail"),
    path(
        "plans/<str:code>/v<int:version>/publish/",
        plans.plan_publish_page,
        name="plan-publish-page",
    ),
    path(
        "plans/<str:code>/v<int:version>/new-version/",
        plans.plan_new_version_page,
        name="plan-new-version-page",
    ),
    path(
        "plans/<str:code>/v<int:version>/nodes/new/",
        plans.indicator_edit,
        name="indicator-create",
    ),
    path(
        "plans/<str:code>/v<int:version>/nodes/<str:node_code>/edit/",
        plans.indicator_edit,
        name="indicator-edit",
    ),
    path(
        "plans/<str:code>/v<int:version>/nodes/<str:node_code>/move/",
        plans.indicator_move,
        name="indicator-move",
    ),
    path(
        "plans/<str:code>/v<int:version>/nodes/<str:node_code>/delete/",
        plans.indicator_delete,
        name="indicator-delete",
    ),
    path(
        "plans/<str:code>/v<int:version>/nodes/<str:node_code>/preview/",
        plans.indicator_preview_page,
        name="indicator-preview",
    ),
    path("results/", views.result_index, name="result-index"),
    path(
        "results/<str:plan_code>/<str:period_code>/",
        views.result_detail,
        name="result-detail",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema"),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "assessment.errors.bad_request"
handler403 = "assessment.errors.permission_denied"
handler404 = "assessment.errors.page_not_found"
handler500 = "assessment.errors.server_error"
