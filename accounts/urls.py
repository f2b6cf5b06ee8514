from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.settings, name="settings"),
    path("u/<str:username>/", views.profile, name="profile"),
]
