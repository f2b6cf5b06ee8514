"""The learner's record in a curriculum, as a signed CLR 2.0 credential they download
(`badges.clr`): their own only, and a GET that only reads."""

import json
import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from badges.clr import RecordFacts, TopicRecord, build_record, sign_record
from badges.did import issuer_did, load_did_key_ring
from badges.ob3 import VC_CONTENT_TYPE, recipient_identity_hash
from badges.ob3_views import data_integrity_credential
from badges.site import site_issuer, site_origin
from catalog.models import Curriculum, Topic, published_resources_by_topic
from progress.degrees import degree_credit
from progress.models import DegreeAward


def learner_record_path(curriculum_slug, username):
    return reverse(
        "badges:learner_record",
        kwargs={"curriculum_slug": curriculum_slug, "username": username},
    )


def topic_records(curriculum, credit, origin):
    """The curriculum's topics the learner has done something in, in curriculum order (one
    query; the published resources per topic come from the catalog's cache)."""
    published_by_topic = published_resources_by_topic()
    records = []
    for topic in Topic.objects.filter(curriculum=curriculum).order_by("position", "pk"):
        published = published_by_topic.get(topic.pk, frozenset())
        done = credit.done_among(published)
        if done:
            topic.curriculum = curriculum  # its URL names the curriculum: no query
            records.append(
                TopicRecord(
                    url=origin + topic.get_absolute_url(),
                    title=topic.title,
                    description=topic.summary,
                    curriculum_title=curriculum.title,
                    done=done,
                    published=len(published),
                )
            )
    return tuple(records)


@login_required
@require_safe
def learner_record(request, curriculum_slug, username):
    if username != request.user.get_username():
        raise Http404("No learner record here.")  # someone else's: as if it did not exist
    curriculum = get_object_or_404(Curriculum.objects.published(), slug=curriculum_slug)
    learner = request.user
    awards = list(
        DegreeAward.objects.for_learner(learner)
        .valid()
        .filter(degree__curriculum=curriculum)
        .select_related("degree__curriculum", "learner__profile", "status_list_entry")
        .order_by("degree__rank", "awarded_at")
    )
    credit = degree_credit(learner)
    origin = site_origin(request)
    topics = topic_records(curriculum, credit, origin)
    if not awards and not topics:
        raise Http404("Nothing done in this curriculum yet.")

    ring = load_did_key_ring()
    did = issuer_did(origin)
    issuer = site_issuer(request)
    record_uuid = uuid.uuid4()
    salt = uuid.uuid4().hex
    facts = RecordFacts(
        record_id=f"urn:uuid:{record_uuid}",
        name=f"Learner record: {curriculum.title}",
        description=(
            f"Every degree earned and every topic worked on in the curriculum "
            f"{curriculum.title} on {issuer.name}, as of the date issued."
        ),
        issuer={"id": did, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
        issued_at=timezone.now(),
        subject_id=f"urn:uuid:{uuid.uuid5(record_uuid, 'learner')}",
        identity={
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": recipient_identity_hash(learner.email, salt),
            "salt": salt,
        },
        award_credentials=tuple(
            data_integrity_credential(request, award, credit=credit) for award in awards
        ),
        topics=topics,
    )
    signed = sign_record(build_record(facts), ring.signing_key, did, ring.signing_key_id)
    response = HttpResponse(json.dumps(signed, indent=2), content_type=VC_CONTENT_TYPE)
    filename = f"mlmath-{curriculum.slug}-learner-record.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
