from django.contrib import admin
from django.urls import include, path

from mlmath import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("_floor/", views.floor, name="floor"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("progress/", include("progress.urls")),
    path("curricula/<slug:slug>/", include("progress.following_urls")),
    path("", include("accounts.urls")),
    path("", include("badges.urls")),
    path("", include("catalog.urls")),
]

handler500 = "mlmath.views.server_error"
