import csv
import io
import json

import pytest
from django.utils import timezone

from accounts.transfer.export import spreadsheet_safe
from catalog.models import Degree, Milestone, Resource
from progress.models import DegreeAward, ResourceProgress
from tests.factories import (
    complete,
    default_curriculum,
    give_evidence,
    list_resource,
    make_curriculum,
    make_resource,
    make_topic,
)
from tests.html import elements


@pytest.fixture
def histories(seed_catalog, learner, make_learner):
    """Ada and Grace, each with progress, a note, evidence and an award."""
    grace = make_learner("grace")
    for person, note in [(learner, '=HYPERLINK("http://evil")'), (grace, "grace's secret")]:
        complete(person, Resource.objects.get(slug="keras"))
        complete(person, Resource.objects.get(slug="xgboost"), status="in_progress")
        ResourceProgress.objects.filter(learner=person, resource__slug="keras").update(note=note)
        give_evidence(person, Milestone.objects.first())
    practitioner = Degree.objects.get(slug="practitioner")
    DegreeAward.objects.create(
        learner=learner, degree=practitioner, awarded_at=timezone.now(), is_shared=True
    )
    DegreeAward.objects.create(learner=grace, degree=practitioner, awarded_at=timezone.now())
    return learner, grace


def test_visitors_are_sent_to_sign_in(client, db):
    for url in [
        "/account/export/",
        "/account/export/progress.json",
        "/account/export/progress.csv",
    ]:
        assert client.get(url).status_code == 302


def test_export_page_is_linked_from_settings(learner_client):
    assert elements(learner_client.get("/account/"), "a", href="/account/export/")
    page = learner_client.get("/account/export/")
    assert elements(page, "a", href="/account/export/progress.json")
    assert elements(page, "a", href="/account/export/progress.csv")


def test_json_export_holds_everything_of_the_learner(histories, learner_client):
    ada, _grace = histories
    response = learner_client.get("/account/export/progress.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mlmath-progress-ada-')
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert (document["format"], document["version"]) == ("mlmath-progress", 2)
    assert document["account"]["username"] == "ada"
    assert document["account"]["email"] == "ada@example.com"
    assert document["settings"]["time_zone"] == "UTC"
    by_slug = {row["resource"]["slug"]: row for row in document["progress"]}
    keras = Resource.objects.get(slug="keras")
    assert by_slug["keras"]["resource"]["url"] == keras.url
    assert by_slug["keras"]["resource"]["canonical_url"] == keras.url
    assert by_slug["keras"]["resource"]["curricula"] == ["ml-math"]
    assert by_slug["keras"]["status"] == "completed"
    assert by_slug["keras"]["completed_at"]
    assert by_slug["keras"]["note"].startswith("=HYPERLINK")
    assert by_slug["xgboost"]["status"] == "in_progress"
    assert len(document["evidence"]) == 1
    assert document["evidence"][0]["url"] == "https://example.org/ada/" + (
        Milestone.objects.first().slug
    )
    [award] = document["awards"]
    public_id = str(DegreeAward.objects.get(learner=ada).public_id)
    assert award["public_id"] == public_id
    assert award["verification_url"] == f"http://testserver/badges/{public_id}/"
    assert [row["status"] for row in document["activity"]] == ["completed", "in_progress"]


def test_each_progress_row_names_its_canonical_url_and_the_published_curricula_listing_it(
    learner, learner_client, django_assert_max_num_queries
):
    """Version 2: where the work is listed, the default curriculum first, never a draft."""
    calculus_list = make_curriculum(slug="calculus-list", position=1)
    draft = make_curriculum(slug="draft-list", is_published=False)
    strang = make_resource(make_topic(), url="https://WWW.Example.org/strang/?utm_source=x")
    list_resource(strang, make_topic(curriculum=calculus_list))
    list_resource(strang, make_topic(curriculum=draft))
    unlisted = make_resource(False)
    for resource in (strang, unlisted):
        complete(learner, resource)

    with django_assert_max_num_queries(12) as few:
        learner_client.get("/account/export/progress.json")
    for _ in range(5):
        extra = make_resource(make_topic(curriculum=make_curriculum()))
        list_resource(extra, make_topic(curriculum=make_curriculum()))
        complete(learner, extra)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = learner_client.get("/account/export/progress.json")

    rows = {
        row["resource"]["slug"]: row["resource"] for row in json.loads(response.content)["progress"]
    }
    assert rows[strang.slug]["canonical_url"] == "https://example.org/strang"
    assert rows[strang.slug]["curricula"] == [default_curriculum().slug, "calculus-list"]
    assert rows[unlisted.slug]["curricula"] == []


def test_json_export_never_holds_another_learners_data(histories, learner_client):
    _ada, grace = histories
    text = learner_client.get("/account/export/progress.json").content.decode()
    assert "grace" not in text
    assert str(DegreeAward.objects.get(learner=grace).public_id) not in text
    csv_text = learner_client.get("/account/export/progress.csv").content.decode()
    assert "grace" not in csv_text


def test_an_award_not_shared_has_no_verification_url(histories, learner_client):
    DegreeAward.objects.update(is_shared=False)
    document = json.loads(learner_client.get("/account/export/progress.json").content)
    assert document["awards"][0]["verification_url"] is None


def test_csv_export_is_utf8_with_a_header_and_no_formulas(histories, learner_client):
    response = learner_client.get("/account/export/progress.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == [
        "resource_url",
        "resource_slug",
        "resource_title",
        "topic",
        "status",
        "started_at",
        "completed_at",
        "updated_at",
        "note",
        "curriculum",
        "canonical_url",
    ]
    by_slug = {row["resource_slug"]: row for row in rows}
    assert set(by_slug) == {"keras", "xgboost"}
    assert by_slug["keras"]["note"] == '\'=HYPERLINK("http://evil")'
    assert by_slug["keras"]["status"] == "completed"
    assert by_slug["keras"]["curriculum"] == "ml-math"
    assert by_slug["keras"]["canonical_url"] == by_slug["keras"]["resource_url"]


def csv_export(client):
    text = client.get("/account/export/progress.csv").content.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_export_has_a_row_per_curriculum_listing_the_resource(
    learner, learner_client, django_assert_max_num_queries
):
    """A work two curricula list shows once in each, with its topic there and the same
    progress; drafts are never named; a work listed nowhere keeps its row, at the end."""
    calculus_list = make_curriculum(slug="calculus-list", position=1)
    draft = make_curriculum(slug="draft-list", is_published=False)
    limits = make_topic(title="Limits")
    strang = make_resource(
        limits, slug="strang", url="https://WWW.Example.org/strang/?utm_source=x"
    )
    list_resource(strang, make_topic(curriculum=calculus_list, title="Derivatives"))
    list_resource(strang, make_topic(curriculum=draft, title="Secret draft topic"))
    own = make_resource(make_topic(curriculum=calculus_list, title="Integrals"), slug="own")
    unlisted = make_resource(False, slug="unlisted")
    complete(learner, strang, unlisted)
    complete(learner, own, status="in_progress")

    with django_assert_max_num_queries(12) as few:
        rows = csv_export(learner_client)
    assert [(r["resource_slug"], r["curriculum"], r["topic"], r["status"]) for r in rows] == [
        ("strang", "ml-math", "Limits", "completed"),
        ("strang", "calculus-list", "Derivatives", "completed"),
        ("own", "calculus-list", "Integrals", "in_progress"),
        ("unlisted", "", "", "completed"),
    ]
    assert {r["canonical_url"] for r in rows if r["resource_slug"] == "strang"} == {
        "https://example.org/strang"
    }

    for _ in range(5):
        extra = make_resource(make_topic(curriculum=make_curriculum()))
        list_resource(extra, make_topic(curriculum=make_curriculum()))
        complete(learner, extra)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = csv_export(learner_client)
    assert len(rows) == 4 + 5 * 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6", "'+33 6"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Café, naïve", "Café, naïve"),
        ("a=b", "a=b"),
        (None, ""),
    ],
)
def test_cells_that_start_like_formulas_are_escaped(value, expected):
    assert spreadsheet_safe(value) == expected
