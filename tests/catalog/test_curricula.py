"""Curricula and listings: a resource is the work, listed in a topic of one or more curricula;
slugs are unique per curriculum; the pages that show "the" catalog show the default one."""

import sys
import types

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import path

from catalog.awesome import import_awesome_list, read_awesome_list
from catalog.models import (
    RESERVED_PATH_SEGMENTS,
    Curriculum,
    Listing,
    Requirement,
    Resource,
    default_curriculum,
    reserved_curriculum_slugs,
    validate_curriculum_slug,
)
from progress.degrees import DegreeSpec, RequirementSpec, evaluate_degrees
from progress.learner import LearnerProgress
from progress.models import DegreeAward
from tests.factories import (
    complete,
    list_resource,
    make_curriculum,
    make_degree,
    make_requirement,
    make_resource,
    make_topic,
)
from tests.html import elements, result_titles, text

pytestmark = pytest.mark.django_db

# The first path segments the site uses today: none may be a curriculum's slug.
SITE_SEGMENTS = [
    "admin",
    "accounts",
    "account",
    "progress",
    "topics",
    "degrees",
    "search",
    "badges",
    "verify",
    "healthz",
    "_floor",
    "u",
    "favicon.ico",
    "manifest.webmanifest",
    ".well-known",
    "static",
]


# Slugs


@pytest.mark.parametrize("segment", [*SITE_SEGMENTS, *sorted(RESERVED_PATH_SEGMENTS)])
def test_a_curriculum_slug_may_not_be_one_of_the_sites_own_url_segments(segment):
    assert segment in reserved_curriculum_slugs()
    with pytest.raises(ValidationError, match="is a part of the site's own addresses"):
        validate_curriculum_slug(segment)


def test_a_reserved_slug_is_refused_in_any_case():
    with pytest.raises(ValidationError):
        validate_curriculum_slug("Admin")


def test_a_page_added_at_the_root_reserves_its_segment(settings):
    urlconf = types.ModuleType("tests_urlconf_with_a_new_page")
    urlconf.urlpatterns = [path("roadmaps/", lambda request: None), path("", lambda r: None)]
    sys.modules[urlconf.__name__] = urlconf
    try:
        assert "roadmaps" not in reserved_curriculum_slugs()
        settings.ROOT_URLCONF = urlconf.__name__
        assert "roadmaps" in reserved_curriculum_slugs()
    finally:
        del sys.modules[urlconf.__name__]


def test_an_ordinary_slug_is_a_fine_curriculum_slug():
    validate_curriculum_slug("deep-learning")
    curriculum = Curriculum(slug="deep-learning", title="Deep learning")
    curriculum.full_clean()


def test_new_curricula_start_unpublished():
    assert Curriculum.objects.create(slug="physics", title="Physics").is_published is False


def test_degree_rank_and_slugs_are_unique_within_a_curriculum_only():
    physics = make_curriculum()
    make_degree(slug="practitioner", rank=1)
    make_degree(slug="practitioner", rank=1, curriculum=physics)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_degree(slug="other", rank=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_degree(slug="practitioner", rank=2)


# Resources and listings


def test_a_resource_keeps_its_link_as_written_and_is_known_by_its_canonical_url():
    resource = make_resource(url="HTTPS://WWW.Example.org/Course/?utm_source=x#part-2")

    resource.refresh_from_db()
    assert resource.url == "HTTPS://WWW.Example.org/Course/?utm_source=x#part-2"
    assert resource.canonical_url == "https://example.org/Course"

    # Edited, the link is the resource's new identity too.
    resource.url = "https://example.org/course-2/"
    resource.save(update_fields=["url"])
    resource.refresh_from_db()
    assert resource.canonical_url == "https://example.org/course-2"


def test_two_spellings_of_one_work_cannot_both_be_stored():
    make_resource(url="https://example.org/course")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_resource(url="https://www.example.org/course/")
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.bulk_create(
            [Resource(slug="bulk", title="Bulk", url="https://example.org/course#x")]
        )


def test_another_spelling_of_a_known_url_is_refused_by_validation_naming_the_resource():
    make_resource(url="https://example.org/course", title="Strang's course")
    again = Resource(slug="again", title="Again", url="https://www.example.org/course/")

    with pytest.raises(ValidationError) as raised:
        again.full_clean()

    assert raised.value.message_dict["url"] == [
        "This is the URL of a resource the catalog has already: “Strang's course” "
        "(https://example.org/course). Edit that resource, or list it in this topic."
    ]


def test_a_resource_is_listed_at_most_once_per_curriculum():
    calculus, analysis = make_topic(title="Calculus"), make_topic(title="Analysis")
    resource = make_resource(calculus)

    second = Listing(resource=resource, topic=analysis)
    with pytest.raises(
        ValidationError, match="is listed in this curriculum already, in “Calculus”"
    ):
        second.full_clean()

    elsewhere = Listing(resource=resource, topic=make_topic(curriculum=make_curriculum()))
    elsewhere.full_clean()
    elsewhere.save()
    assert resource.listings.count() == 2


def test_a_resources_links_lead_to_its_listing_in_the_default_curriculum():
    physics = make_topic(slug="mechanics", curriculum=make_curriculum(slug="physics", position=0))
    resource = make_resource(physics, slug="feynman")
    assert resource.get_absolute_url() == "/physics/topics/mechanics/#resource-feynman"

    list_resource(resource, make_topic(slug="calculus"))
    resource = Resource.objects.get(pk=resource.pk)

    assert resource.main_listing.topic.slug == "calculus"
    assert resource.get_absolute_url() == "/topics/calculus/#resource-feynman"


def test_a_requirement_names_only_what_its_degrees_curriculum_holds():
    physics = make_curriculum()
    degree = make_degree()
    elsewhere_topic = make_topic(curriculum=physics, title="Mechanics")
    only_elsewhere = make_resource(make_topic(curriculum=physics), title="Feynman lectures")

    for target in ({"topic": elsewhere_topic}, {"resource": only_elsewhere}):
        requirement = Requirement(degree=degree, slug="x", **target)
        with pytest.raises(ValidationError) as raised:
            requirement.full_clean()
        ((field, _),) = raised.value.message_dict.items()
        assert field == next(iter(target))


# The same work in two curricula counts once


def test_progress_on_a_resource_is_shared_by_every_curriculum_that_lists_it(learner):
    algebra = make_topic(title="Linear Algebra")
    physics_maths = make_topic(title="Maths for physics", curriculum=make_curriculum())
    strang = make_resource(algebra, title="Strang's lectures")
    list_resource(strang, physics_maths)

    complete(learner, strang)

    done = LearnerProgress(learner).done_by_topic_id
    assert done == {algebra.pk: 1, physics_maths.pk: 1}
    assert learner.resource_progress.count() == 1


def test_degrees_are_cumulative_within_their_curriculum_only():
    ml_first = DegreeSpec(
        "practitioner",
        "ML practitioner",
        1,
        (RequirementSpec("keras", resource_id=1),),
        id=1,
        curriculum_id=1,
    )
    physics_first = DegreeSpec(
        "practitioner",
        "Physics practitioner",
        1,
        (RequirementSpec("feynman", resource_id=2),),
        id=2,
        curriculum_id=2,
    )
    physics_second = DegreeSpec(
        "developer", "Physics developer", 2, (RequirementSpec("landau", resource_id=3),), id=3,
        curriculum_id=2,
    )  # fmt: skip

    results = {
        r.degree.title: r
        for r in evaluate_degrees({2, 3}, [ml_first, physics_first, physics_second])
    }

    assert not results["ML practitioner"].met
    assert results["Physics practitioner"].met
    assert [r.spec.key for r in results["Physics developer"].requirements] == ["feynman", "landau"]
    assert results["Physics developer"].met


def test_a_learner_earns_degrees_of_the_same_slug_in_two_curricula(learner):
    physics = make_curriculum()
    ml_course = make_resource(make_topic())
    physics_course = make_resource(make_topic(curriculum=physics))
    ml = make_degree(slug="practitioner", rank=1)
    make_requirement(ml, resource=ml_course)
    other = make_degree(slug="practitioner", rank=1, curriculum=physics)
    make_requirement(other, resource=physics_course)

    complete(learner, physics_course)
    assert list(DegreeAward.objects.values_list("degree", flat=True)) == [other.pk]

    complete(learner, ml_course)
    assert set(DegreeAward.objects.values_list("degree", flat=True)) == {ml.pk, other.pk}


# Pages show the default curriculum


def test_pages_show_the_default_curriculum_and_no_other(client):
    shown = make_topic(title="Calculus", slug="calculus")
    make_resource(shown, title="Khan Academy Calculus")
    physics = make_curriculum(title="Physics")
    hidden = make_topic(title="Mechanics", slug="calculus", curriculum=physics)
    make_resource(hidden, title="Feynman lectures on calculus")

    home = client.get("/")
    assert "Khan Academy Calculus" in text(home)
    assert "Feynman" not in text(home)
    assert result_titles(client.get("/topics/calculus/")) == ["Khan Academy Calculus"]
    # Search covers every published curriculum (tests/catalog/test_search_curricula.py), and
    # narrows to one on request.
    in_default = client.get("/search/", {"q": "calculus", "curriculum": "ml-math"})
    assert result_titles(in_default) == ["Khan Academy Calculus"]


def test_the_default_curriculum_is_the_settings(settings):
    assert default_curriculum().slug == settings.DEFAULT_CURRICULUM == "ml-math"
    make_curriculum(slug="physics")
    settings.DEFAULT_CURRICULUM = "physics"
    assert default_curriculum().slug == "physics"


# The awesome-list import


IMPORTED = (
    b"## Linear Algebra\n- [Strang's lectures](https://www.example.org/strang/) - Start here.\n"
)


def test_importing_into_another_curriculum_lists_a_known_work_there_too():
    algebra = make_topic(title="Linear Algebra")
    strang = make_resource(
        algebra, url="https://example.org/strang", title="Strang's lectures", note="Start here."
    )
    physics = make_curriculum()

    report = import_awesome_list(
        read_awesome_list(IMPORTED, source="physics.md"), curriculum=physics
    )

    assert Resource.objects.count() == 1
    assert set(strang.listings.values_list("topic__curriculum", flat=True)) == {
        algebra.curriculum_id,
        physics.pk,
    }
    (listed,) = [change for change in report.updated if change.model == "resource"]
    assert [(f.name, f.before, f.after) for f in listed.fields] == [("topic", "", "Linear Algebra")]
    # Imported again, nothing changes: the resource has its one place in each curriculum.
    again = import_awesome_list(
        read_awesome_list(IMPORTED, source="physics.md"), curriculum=physics
    )
    assert not again.changed
    assert strang.listings.count() == 2


def test_marking_a_work_two_curricula_list_answers_with_its_default_topics_bar(learner_client):
    physics = make_topic(slug="mechanics", curriculum=make_curriculum(position=0))
    strang = make_resource(physics, slug="strang")
    algebra = make_topic(slug="linear-algebra")
    list_resource(strang, algebra)
    make_resource(algebra)

    response = learner_client.post(
        "/progress/resources/strang/status/", {"status": "completed"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    (bar,) = elements(response, id="topic-progress-linear-algebra")
    assert "1 of 2 done" in text(bar)
    assert not elements(response, id="topic-progress-mechanics")
