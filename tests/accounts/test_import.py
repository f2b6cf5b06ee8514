import datetime
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.transfer.apply import RowState, import_progress, merge_row
from accounts.transfer.base import ImportFileError
from accounts.transfer.parse import parse_import
from catalog.models import Degree, Resource
from progress.models import Activity, DegreeAward, Evidence, ResourceProgress, Status
from tests.factories import complete
from tests.html import by_id, elements, text

T = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
UNKNOWN_URL = "https://example.org/unknown"


def hours(n):
    return T + datetime.timedelta(hours=n)


def row(slug="keras", url="", status="completed", updated=10, note="", completed=None):
    completed_at = hours(completed if completed is not None else updated)
    return {
        "resource": {"url": url, "slug": slug, "title": slug.title()},
        "status": status,
        "started_at": hours(0).isoformat(),
        "completed_at": completed_at.isoformat() if status == "completed" else None,
        "updated_at": hours(updated).isoformat(),
        "note": note,
    }


def document(*rows, **sections):
    return {"format": "mlmath-progress", "version": 1, "progress": list(rows), **sections}


def upload(doc, name="export.json"):
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return SimpleUploadedFile(name, data, content_type="application/json")


def post(client, doc, action="import", **extra):
    return client.post("/account/import/", {"file": upload(doc), "action": action}, **extra)


def state(status, updated, note="", completed=None):
    return RowState(
        status,
        hours(0),
        hours(completed if completed is not None else updated) if status == "completed" else None,
        hours(updated),
        note,
    )


# The merge rule, as a plain function.


def test_the_later_change_wins():
    merged = merge_row(state("in_progress", 5, "old"), state("known", 9, "new"))
    assert (merged.status, merged.note) == ("known", "new")
    merged = merge_row(state("in_progress", 9, "mine"), state("known", 5, "theirs"))
    assert (merged.status, merged.note) == ("in_progress", "mine")


def test_an_older_row_never_downgrades_a_completion():
    merged = merge_row(state("completed", 5), state("not_started", 3))
    assert merged.status == "completed"
    assert merged.completed_at == hours(5)


def test_a_later_completion_keeps_the_first_completion_date():
    merged = merge_row(state("completed", 5, completed=2), state("completed", 9, completed=8))
    assert merged.completed_at == hours(2)


def test_an_empty_note_does_not_erase_one():
    assert merge_row(state("in_progress", 5, "keep me"), state("in_progress", 9)).note == "keep me"


# Parsing: bad files say what is wrong.


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe not utf8", "not UTF-8"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "not an mlmath progress file"),
        (json.dumps({"format": "trello-board"}).encode(), "not an mlmath progress file"),
        (json.dumps({"format": "mlmath-progress", "version": 7}).encode(), "version 7"),
        (
            json.dumps(document({"resource": {"slug": "keras"}, "status": "done"})).encode(),
            "progress[0].status: 'done' is not one of not_started, in_progress, completed, known.",
        ),
        (
            json.dumps(document({**row(), "completed_at": "yesterday"})).encode(),
            "progress[0].completed_at: “yesterday” is not a date and time",
        ),
        (json.dumps(document({**row(), "note": "x" * 1001})).encode(), "longer than 1000"),
        (json.dumps(document({"status": "completed"})).encode(), "progress[0].resource must be"),
        (b"[" * 100_000 + b"]" * 100_000, "nests its data 100000 levels deep; the limit is 16"),
        (b"[" + b"{}," * 1_500_000 + b"{}]", "holds 1,500,002 values and keys; the limit is"),
    ],
)
def test_malformed_and_foreign_files_are_refused_with_the_reason(data, message):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        parse_import(data)


def test_oversized_files_are_refused():
    with pytest.raises(ImportFileError, match="the limit is 5 MB"):
        parse_import(b" " * (5_000_000 + 1))


# Applying, through the database.


def test_import_matches_by_url_then_slug_and_lists_unknown_resources(seed_catalog, learner):
    keras = Resource.objects.get(slug="keras")
    parsed = parse_import(
        json.dumps(
            document(
                row(slug="renamed-elsewhere", url=keras.url),
                row(slug="xgboost", url="https://elsewhere.example/xgb", status="in_progress"),
                row(slug="not-here", url="https://example.org/unknown"),
            )
        ).encode()
    )
    report = import_progress(learner=learner, parsed=parsed)
    statuses = dict(
        ResourceProgress.objects.for_learner(learner).values_list("resource__slug", "status")
    )
    assert statuses == {"keras": "completed", "xgboost": "in_progress"}
    assert [r.slug for r in report.unknown] == ["not-here"]


def test_a_file_exported_before_urls_were_canonical_matches_by_its_urls_other_spelling(
    seed_catalog, learner
):
    """Files of version 1 name the URLs as stored then ("https://www.khanacademy.org/...")."""
    parsed = parse_import(
        json.dumps(
            document(
                row(slug="", url="https://www.khanacademy.org/math/calculus-home"),
                row(slug="", url="http://ocw.mit.edu/courses/mathematics/18-06-linear-algebra-"
                    "spring-2010/video-lectures/lecture-21-eigenvalues-and-eigenvectors/"),
            )
        ).encode()
    )  # fmt: skip

    report = import_progress(learner=learner, parsed=parsed)

    assert not report.unknown
    assert set(
        ResourceProgress.objects.for_learner(learner).values_list("resource__slug", flat=True)
    ) == {"khan-academy-calculus", "mit-linear-algebra"}


# "Now" must come after every time in the file (the first of March 2026, up to 20:00).
@pytest.mark.frozen_at(T + datetime.timedelta(days=1))
def test_import_merges_with_existing_progress(seed_catalog, learner):
    complete(learner, Resource.objects.get(slug="keras"))  # completed now: later than the file
    complete(learner, Resource.objects.get(slug="xgboost"), status="in_progress")
    ResourceProgress.objects.filter(resource__slug="xgboost").update(updated_at=hours(1))
    parsed = parse_import(
        json.dumps(
            document(
                row("keras", status="not_started", updated=20),
                row("xgboost", status="completed", updated=20, note="done it"),
            )
        ).encode()
    )
    report = import_progress(learner=learner, parsed=parsed)
    rows = {p.resource.slug: p for p in ResourceProgress.objects.for_learner(learner)}
    assert rows["keras"].status == Status.COMPLETED
    assert rows["xgboost"].status == Status.COMPLETED
    assert rows["xgboost"].note == "done it"
    assert report.unchanged == 1
    assert len(report.updated) == 1


def test_import_grants_awards_it_now_meets_but_never_imports_awards_or_evidence(
    seed_catalog, learner
):
    practitioner = Degree.objects.get(slug="practitioner")
    needed = Resource.objects.filter(pk__in=practitioner_resource_ids(practitioner))
    parsed = parse_import(
        json.dumps(
            document(
                *[row(r.slug) for r in needed],
                awards=[{"degree": {"slug": "researcher"}, "public_id": "x"}],
                evidence=[{"milestone": {"slug": "anything"}, "url": "https://x.org"}],
            )
        ).encode()
    )
    report = import_progress(learner=learner, parsed=parsed)
    assert report.ignored_sections == ("awards", "evidence")
    assert not Evidence.objects.for_learner(learner).exists()
    assert not DegreeAward.objects.filter(degree__slug="researcher").exists()
    earned = set(DegreeAward.objects.for_learner(learner).values_list("degree__slug", flat=True))
    assert earned == {a.degree.slug for a in report.new_awards}


def practitioner_resource_ids(degree):
    from progress.degrees import load_degree_specs

    spec = next(s for s in load_degree_specs() if s.slug == degree.slug)
    ids = set()
    for requirement in spec.requirements:
        if requirement.resource_id:
            ids.add(requirement.resource_id)
        ids.update(requirement.topic_resource_ids)
    return ids


def test_dry_run_reports_and_writes_nothing(seed_catalog, learner_client, learner):
    doc = document(
        row("keras"),
        activity=[{"resource": {"slug": "keras"}, "status": "completed", "at": T.isoformat()}],
    )
    response = post(learner_client, doc, action="preview")
    assert response.status_code == 200
    assert "Preview: this is what an import would change (nothing was saved)" in text(response)
    assert "1 new resource" in text(response)
    assert not ResourceProgress.objects.for_learner(learner).exists()
    assert not Activity.objects.for_learner(learner).exists()


def test_real_import_writes_and_reimport_changes_nothing(seed_catalog, learner_client, learner, hx):
    doc = document(
        row("keras", note="from the other site"),
        activity=[{"resource": {"slug": "keras"}, "status": "completed", "at": T.isoformat()}],
    )
    response = post(learner_client, doc)
    assert "Imported" in text(response)
    assert ResourceProgress.objects.get(learner=learner).note == "from the other site"
    assert Activity.objects.for_learner(learner).count() == 1
    again = post(learner_client, doc, **hx())
    assert again.status_code == 200
    assert not elements(again, "html")
    assert "Nothing changed" in text(again)
    assert Activity.objects.for_learner(learner).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{broken", "not valid JSON"),
        (json.dumps({"format": "other"}).encode(), "not an mlmath progress file"),
        (
            json.dumps(document(row("keras"), {"resource": {"slug": "x"}, "status": "?"})).encode(),
            "progress[1].status",
        ),
        (b"[" * 100_000, "The file nests its data 100000 levels deep; the limit is 16 levels."),
        (
            json.dumps(
                document(row("keras"), {"resource": {"slug": [[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]}})
            ).encode(),
            "The file nests its data 20 levels deep; the limit is 16 levels.",
        ),
    ],
)
def test_bad_files_get_a_clear_message_and_write_nothing(
    seed_catalog, learner_client, learner, data, message, hx
):
    for extra in [{}, hx()]:
        response = post(learner_client, data, **extra)
        assert response.status_code == 422
        assert message in text(response)
        assert "Nothing was imported." in text(response)
    assert not ResourceProgress.objects.for_learner(learner).exists()


def test_an_oversized_upload_is_refused(seed_catalog, learner_client, learner):
    response = post(learner_client, b" " * (5_000_000 + 10))
    assert response.status_code == 422
    assert "The file is 5.1 MB; the limit is 5 MB." in text(response)


def test_import_is_one_transaction(seed_catalog, learner, monkeypatch):
    """A failure part-way (here, while recording awards) leaves no progress behind."""
    from accounts.transfer import apply

    def fail(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(apply, "record_new_awards", fail)
    parsed = parse_import(json.dumps(document(row("keras"))).encode())
    with pytest.raises(RuntimeError):
        import_progress(learner=learner, parsed=parsed)
    assert not ResourceProgress.objects.for_learner(learner).exists()


def test_export_then_import_elsewhere_round_trips(
    seed_catalog, learner_client, learner, make_learner, client
):
    complete(learner, Resource.objects.get(slug="keras"))
    exported = learner_client.get("/account/export/progress.json").content
    grace = make_learner("grace")
    client.force_login(grace)
    post(client, exported)
    assert ResourceProgress.objects.get(learner=grace).status == Status.COMPLETED
    assert Activity.objects.for_learner(grace).count() == 1


def test_known_resources_round_trip_and_count_for_the_importer(
    seed_catalog, learner_client, learner, make_learner, client
):
    complete(learner, Resource.objects.get(slug="keras"), status="known")
    exported = json.loads(learner_client.get("/account/export/progress.json").content)
    assert [row["status"] for row in exported["progress"]] == ["known"]
    assert [row["status"] for row in exported["activity"]] == ["known"]
    grace = make_learner("grace")
    client.force_login(grace)
    post(client, exported)
    assert ResourceProgress.objects.get(learner=grace).status == Status.KNOWN
    assert Activity.objects.get(learner=grace).status == Status.KNOWN


def test_a_file_from_before_known_counted_reads_skipped_as_known(seed_catalog, learner):
    """Exports made before "already known" counted said `skipped` for it."""
    keras = Resource.objects.get(slug="keras")
    old_file = document(
        row("keras", status="skipped"),
        activity=[{"resource": {"slug": "keras"}, "status": "skipped", "at": hours(3).isoformat()}],
    )
    parsed = parse_import(json.dumps(old_file).encode())
    assert [r.status for r in parsed.progress] == [Status.KNOWN]
    import_progress(learner=learner, parsed=parsed)
    progress = ResourceProgress.objects.get(learner=learner)
    assert (progress.resource, progress.status, progress.completed_at) == (
        keras,
        Status.KNOWN,
        None,
    )
    assert list(Activity.objects.for_learner(learner).values_list("status", flat=True)) == ["known"]
    # Importing it again adds nothing: its activity is the same as the renamed one here.
    report = import_progress(learner=learner, parsed=parse_import(json.dumps(old_file).encode()))
    assert (report.activity_added, report.unchanged) == (0, 1)


def test_visitors_cannot_import(client, db):
    assert client.post("/account/import/", {}).status_code == 302


@pytest.mark.parametrize("action", ["preview", "import"])
def test_an_unpublished_resource_is_reported_like_an_unknown_one_and_gets_nothing(
    seed_catalog, learner_client, learner, action
):
    draft = Resource.objects.get(slug="xgboost")
    Resource.objects.filter(pk=draft.pk).update(is_published=False, title="Secret draft title")
    doc = document(
        row("keras"),
        row("by-url", url=draft.url),  # named by its link
        row("xgboost"),  # and by its slug
        row("not-here", url=UNKNOWN_URL),
        activity=[
            {"resource": {"slug": "xgboost"}, "status": "completed", "at": T.isoformat()},
            {"resource": {"url": draft.url}, "status": "in_progress", "at": T.isoformat()},
        ],
    )

    response = post(learner_client, doc, action=action)

    assert response.status_code == 200
    panel = by_id(response, "import-panel")
    assert "1 new resource: Keras: Completed 3 resources this site does not have" in text(panel)
    left_out = [text(item).split()[0] for item in elements(panel, "li")[1:]]
    assert left_out == ["By-Url", "Xgboost", "Not-Here"]
    assert [text(code) for code in elements(panel, "code")] == [draft.url, UNKNOWN_URL]
    assert "Secret draft title" not in text(response)
    assert not ResourceProgress.objects.filter(resource=draft).exists()
    assert not Activity.objects.filter(resource=draft).exists()


# Versions 1 and 2 of the format.

SAMPLES = Path(__file__).parent / "samples"


@pytest.mark.frozen_at(T + datetime.timedelta(days=300))
def test_a_version_1_file_exported_before_curricula_still_imports(seed_catalog, learner):
    parsed = parse_import((SAMPLES / "progress-v1.json").read_bytes())

    report = import_progress(learner=learner, parsed=parsed)

    statuses = dict(
        ResourceProgress.objects.for_learner(learner).values_list("resource__slug", "status")
    )
    assert statuses == {
        "khan-academy-calculus": "completed",
        "khan-academy-linear-algebra": "in_progress",
    }
    assert [row.slug for row in report.unknown] == ["gone"]
    assert report.activity_added == 3


def v2_row(canonical_url, *, slug="renamed", url="", curricula=("ml-math",), **fields):
    item = row(slug=slug, url=url, **fields)
    item["resource"].update(canonical_url=canonical_url, curricula=list(curricula))
    return item


def test_a_version_2_file_matches_by_canonical_url_before_url_and_slug(seed_catalog, learner):
    keras, xgboost = Resource.objects.get(slug="keras"), Resource.objects.get(slug="xgboost")
    parsed = parse_import(
        json.dumps(
            {
                **document(
                    # The canonical URL wins over a URL and a slug naming another resource.
                    v2_row(keras.url, slug="xgboost", url=xgboost.url),
                    v2_row(UNKNOWN_URL, slug="not-here", curricula=["calculus-list"]),
                ),
                "version": 2,
            }
        ).encode()
    )

    report = import_progress(learner=learner, parsed=parsed)

    statuses = dict(
        ResourceProgress.objects.for_learner(learner).values_list("resource__slug", "status")
    )
    assert statuses == {"keras": "completed"}
    [unknown] = report.unknown
    assert (unknown.slug, unknown.curricula) == ("not-here", ("calculus-list",))


@pytest.mark.parametrize(
    ("curricula", "message"),
    [
        ("ml-math", "progress[0].resource.curricula must be a list of curriculum slugs."),
        ([1], "progress[0].resource.curricula[0] must be a curriculum slug"),
        (["x" * 81], "progress[0].resource.curricula[0] must be a curriculum slug"),
        (["c"] * 101, "progress[0].resource.curricula names 101 curricula; the limit is 100."),
    ],
)
def test_a_version_2_rows_curricula_are_checked(curricula, message):
    item = v2_row("https://example.org/x")
    item["resource"]["curricula"] = curricula
    data = json.dumps({**document(item), "version": 2}).encode()

    with pytest.raises(ImportFileError, match=re.escape(message)):
        parse_import(data)


@pytest.mark.parametrize("version", [0, 3, "2", True, None])
def test_only_versions_1_and_2_are_read(version):
    data = json.dumps({**document(row()), "version": version}).encode()

    with pytest.raises(ImportFileError, match="this site reads version 1 or 2"):
        parse_import(data)
