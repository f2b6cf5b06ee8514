from django.contrib import admin
from django.urls import include, path

from mlmath import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("progress/", include("progress.urls")),
    path("", include("accounts.urls")),
    path("", include("catalog.urls")),
]
