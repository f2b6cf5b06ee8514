from django.urls import include, path, register_converter
from django.urls.converters import SlugConverter

from catalog import views
from catalog.models import default_curriculum_slug, published_curriculum


class CurriculumSlugConverter(SlugConverter):
    """The slug of a published curriculum, or the default one's (whose URLs redirect): any
    other first segment is no curriculum's, so `/nope` stays a 404 rather than a redirect to
    `/nope/` (APPEND_SLASH) that would be a 404 too."""

    def to_python(self, value):
        if value != default_curriculum_slug() and published_curriculum(value) is None:
            raise ValueError(value)
        return value


register_converter(CurriculumSlugConverter, "curriculum")

app_name = "catalog"

# A curriculum's pages other than the default's, under its slug: /<curriculum>/topics/<slug>/.
curriculum_pages = [
    path("", views.catalog_index, name="curriculum_index"),
    path("topics/<slug:slug>/", views.topic_detail, name="curriculum_topic_detail"),
    path("degrees/", views.degree_list, name="curriculum_degree_list"),
    path("degrees/<slug:slug>/", views.degree_detail, name="curriculum_degree_detail"),
]

urlpatterns = [
    path("", views.catalog_index, name="index"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("degrees/", views.degree_list, name="degree_list"),
    path("degrees/<slug:slug>/", views.degree_detail, name="degree_detail"),
    path("search/", views.search, name="search"),
    path("curricula/", views.curriculum_list, name="curriculum_list"),
    # Last, in the last URLconf the root includes: a curriculum's slug never shadows a route
    # (`validate_curriculum_slug` keeps curricula from taking the site's own first segments).
    path("<curriculum:curriculum>/", include(curriculum_pages)),
]
