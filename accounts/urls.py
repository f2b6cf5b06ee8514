from django.urls import include, path

from accounts import views

app_name = "accounts"

# The signed-in learner's own account: settings, export, import, deletion.
own_account = [
    path("", views.settings, name="settings"),
    path("export/", views.export, name="export"),
    path("export/progress.json", views.export_json, name="export_json"),
    path("export/progress.csv", views.export_csv, name="export_csv"),
    path("import/", views.import_view, name="import"),
    path("delete/", views.delete, name="delete"),
]

urlpatterns = [
    path("account/", include(own_account)),
    path("u/<str:username>/", views.profile, name="profile"),
]
