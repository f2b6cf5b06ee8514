from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.catalog_index, name="index"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("degrees/", views.degree_list, name="degree_list"),
    path("degrees/<slug:slug>/", views.degree_detail, name="degree_detail"),
    path("search/", views.search, name="search"),
]
