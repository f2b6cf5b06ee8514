from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.settings, name="settings"),
    path("account/export/", views.export, name="export"),
    path("account/export/progress.json", views.export_json, name="export_json"),
    path("account/export/progress.csv", views.export_csv, name="export_csv"),
    path("account/import/", views.import_view, name="import"),
    path("account/delete/", views.delete, name="delete"),
    path("u/<str:username>/", views.profile, name="profile"),
]
