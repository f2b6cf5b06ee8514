"""A learner's following of curricula: /curricula/<slug>/follow/ and /unfollow/ (POST)."""

from django.urls import path

from progress import views

app_name = "following"

urlpatterns = [
    path("follow/", views.follow_curriculum, name="follow"),
    path("unfollow/", views.unfollow_curriculum, name="unfollow"),
]
