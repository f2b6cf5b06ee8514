"""Template tags through which catalog pages show the signed-in learner's progress."""

from typing import NamedTuple

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from catalog.models import Listing, Milestone
from mlmath.caching import render_many
from progress.context_processors import EARNED_MESSAGE_TAG
from progress.degrees import DegreeResult, RequirementResult, load_degree_specs, next_degree
from progress.following import is_followed_by_everyone
from progress.forms import EvidenceForm, NoteForm

register = template.Library()

RESOURCE_CARD = "includes/resource_card.html"
TOPIC_SECTION = "catalog/includes/topic_section.html"


def card_context(
    resource, progress, *, signed_in, topic=None, places=(), search_rank=None, terms=()
):
    """Everything a resource card shows, and nothing else: the resource (and the topic that
    lists it, where the card says "in Calculus", or in search every place that lists it, "in
    Calculus · ML math"), and for a learner their status, the day they completed it (in their
    time zone) and their note."""
    completed_on = progress and progress.completed_at and timezone.localdate(progress.completed_at)
    return {
        "resource": resource,
        "topic": topic,
        "places": tuple(places),
        "signed_in": signed_in,
        "status": progress.status if progress else "",
        "completed_on": completed_on or None,
        "note": progress.note if progress else "",
        "search_rank": search_rank if terms else None,
        "terms": terms or None,
    }


def card_key(context):
    """The card's cache key: what it shows (the resource by id, and the topic it is listed in
    where the card shows it: the listing, under the catalog version)."""
    topic = context["topic"]
    return (
        context["resource"].pk,
        topic.pk if topic is not None else None,
        context["places"],
        context["signed_in"],
        context["status"],
        context["completed_on"],
        context["note"],
        context["search_rank"],
        str(context["terms"] or ""),  # search terms' text is stable (catalog.search.SearchTerms)
    )


def learner_rows(context, resource_ids, with_statuses=True):
    """The learner's rows for these resources (none for a visitor), and whether signed in."""
    learner_progress = context.get("learner_progress")
    if learner_progress is None:
        return {}, False
    return learner_progress.for_resource_ids(resource_ids, with_statuses=with_statuses), True


@register.simple_tag(takes_context=True)
def resource_cards(context, listings, show_topic=False, terms=(), with_statuses=True):
    """The cards (`<li>`s) of these listings' resources, with the learner's state on each from
    the page's one `LearnerProgress` query; `show_topic` says which topic lists each (and where
    a listing has `places`, search's `catalog.views.name_places`, every place);
    `with_statuses=False` for a page that counts nothing but its own topic's bar. A card is
    rendered from `card_context` alone, so it is cached under exactly what it shows: most
    learners' cards look alike, and after a write only the card whose state changed is rendered
    again."""
    listings = list(listings)
    resource_ids = [listing.resource_id for listing in listings]
    rows, signed_in = learner_rows(context, resource_ids, with_statuses)
    cards = [
        card_context(
            listing.resource,
            rows.get(listing.resource_id),
            signed_in=signed_in,
            topic=listing.topic if show_topic else None,
            places=getattr(listing, "places", ()) if show_topic else (),
            search_rank=getattr(listing, "search_rank", None),
            terms=terms,
        )
        for listing in listings
    ]
    return rendered_cards(cards)


@register.simple_tag
def rendered_cards(cards):
    """The cards of these `card_context`s, in order, each from the cache where it is."""
    by_key = {card_key(card): card for card in cards}
    html = render_many(RESOURCE_CARD, by_key)
    return mark_safe("".join(html[key] for key in by_key))


@register.simple_tag(takes_context=True)
def topic_sections(context, topics):
    """The home page's topic sections, each cached under its topic, the learner's count in it
    and its cards' keys: after a write, only the section that shows the change is rendered
    again, and in it only the card that changed (the other cards are cached on their own)."""
    topics = list(topics)
    rows, signed_in = learner_rows(
        context, [listing.resource_id for topic in topics for listing in topic.preview_listings]
    )
    learner_progress = context.get("learner_progress")
    sections = {}
    for topic in topics:
        cards = [
            card_context(listing.resource, rows.get(listing.resource_id), signed_in=signed_in)
            for listing in topic.preview_listings
        ]
        done = learner_progress.done_in_topic(topic) if signed_in else 0
        key = (topic.pk, signed_in, done, *(card_key(card) for card in cards))
        sections[key] = {"topic": topic, "signed_in": signed_in, "done": done, "cards": cards}
    html = render_many(TOPIC_SECTION, sections)
    return mark_safe("".join(html[key] for key in sections))


@register.simple_tag
def resource_card(resource, progress, note_form=None):
    """One learner's card, as an answer to their write; with a note form that failed
    validation it is theirs alone and never cached."""
    card = card_context(resource, progress, signed_in=True)
    if note_form is not None:
        return mark_safe(render_to_string(RESOURCE_CARD, {**card, "note_form": note_form}))
    return rendered_cards([card])


@register.simple_tag(takes_context=True)
def progress_for(context, resource):
    """The learner's ResourceProgress for a resource, or None (also for visitors)."""
    learner_progress = context.get("learner_progress")
    return learner_progress.for_resource(resource) if learner_progress else None


@register.simple_tag(takes_context=True)
def evidence_for(context, milestone):
    """The learner's Evidence for a milestone, or None (also for visitors)."""
    learner_progress = context.get("learner_progress")
    return learner_progress.evidence_for(milestone) if learner_progress else None


@register.simple_tag(takes_context=True)
def done_in_topic(context, topic):
    """How many of a topic's resources count for the learner: completed or already known (0 for
    visitors)."""
    learner_progress = context.get("learner_progress")
    return learner_progress.done_in_topic(topic) if learner_progress else 0


@register.inclusion_tag("progress/includes/topic_progress.html", takes_context=True)
def topic_progress(context, topic, published_count, oob=False, done=None):
    """A topic's bar; `done` when the caller has counted the learner's resources that count."""
    learner_progress = context.get("learner_progress")
    if done is None:
        done = done_in_topic(context, topic)
    return {
        "show": learner_progress is not None,
        "topic": topic,
        "done": done,
        "published_count": published_count,
        "oob": oob,
    }


@register.simple_tag
def note_form_for(resource, note, bound_form=None):
    """The note form of a resource card: the one that failed validation, else a fresh one."""
    return bound_form or NoteForm(resource=resource, initial={"note": note})


@register.simple_tag
def evidence_form_for(milestone, evidence, bound_form=None):
    """The evidence form of a milestone: the one that failed validation, else a fresh one."""
    return bound_form or EvidenceForm(milestone=milestone, instance=evidence)


class RequirementProgress(NamedTuple):
    """One of a degree's own requirements as the learner stands on it, with the listings of the
    resources to show as cards under it (those it names or counts, while it is unmet) or the
    milestone it asks evidence for."""

    requirement: RequirementResult
    listings: list[Listing]
    milestone: Milestone | None


class DegreeProgress(NamedTuple):
    """How far the learner is toward a degree, on its page."""

    result: DegreeResult  # its requirements, inherited ones included
    lower: DegreeResult | None  # the degree below it, whose requirements it includes
    requirements: list[RequirementProgress]  # its own


def degree_result_for(results, degree):
    """The result for `degree` (a Degree) among `results`, and the one below it in its
    curriculum (or None)."""
    ranked = sorted(
        (result for result in results if result.degree.curriculum_id == degree.curriculum_id),
        key=lambda result: result.degree.rank,
    )
    for lower, result in zip([None, *ranked], ranked, strict=False):
        if result.degree.id == degree.pk:
            return result, lower
    return None, None


@register.simple_tag(takes_context=True)
def degree_standing(context, degree):
    """The learner's DegreeResult for `degree` (None for visitors), from their credit: one
    query on a page that lists degrees."""
    learner_progress = context.get("learner_progress")
    if learner_progress is None:
        return None
    return degree_result_for(learner_progress.credit.evaluate(load_degree_specs()), degree)[0]


@register.simple_tag(takes_context=True)
def degree_progress(context, degree, listings):
    """The learner's DegreeProgress on `degree`'s page (None for visitors). `listings` place the
    published resources its own requirements name or count, in curriculum order. Counted from
    the learner's rows and evidence, which the page loads anyway for these resources' cards and
    its milestones' evidence."""
    learner_progress = context.get("learner_progress")
    if learner_progress is None:
        return None
    specs = load_degree_specs()
    # The rows of the page's cards and every status, in one statement, before either is asked.
    learner_progress.for_resource_ids([listing.resource_id for listing in listings])
    result, lower = degree_result_for(
        learner_progress.credit_from_page_rows.evaluate(specs), degree
    )
    if result is None:
        return None
    milestones = {r.milestone_id: r.milestone for r in degree.requirements.all() if r.milestone_id}
    requirements = [
        RequirementProgress(
            requirement,
            []
            if requirement.met
            else [
                listing
                for listing in listings
                if listing.resource_id == requirement.spec.resource_id
                or listing.resource_id in requirement.spec.topic_resource_ids
            ],
            milestones.get(requirement.spec.milestone_id),
        )
        for requirement in result.own_requirements
    ]
    return DegreeProgress(result, lower, requirements)


def says_earned(messages):
    """Whether one of these messages confirms a plain form post that earned a degree."""
    return any(EARNED_MESSAGE_TAG in (message.extra_tags or "").split() for message in messages)


@register.inclusion_tag("progress/includes/earned_panel.html", takes_context=True)
def earned_panel(context, credit=None, oob=False):
    """base.html's `#earned` region: the panel for the degree the learner just earned (their
    latest award) and what the next degree needs, or nothing.

    An HTMX answer that earned one asks for it out of band (`oob`), with the `credit` its write
    read; a page shows it when one of its messages says so (`EARNED_MESSAGE_TAG`): such a page
    is always rendered afresh (mlmath.caching), and shown once, like its message.
    """
    learner_progress = context.get("learner_progress")
    award = None
    if learner_progress is not None and (oob or says_earned(context.get("messages") or ())):
        award = learner_progress.latest_award
    if award is None:
        return {"award": None, "oob": oob}
    # What comes next in the curriculum of the degree just earned.
    curriculum_id = award.degree.curriculum_id
    specs = [spec for spec in load_degree_specs() if spec.curriculum_id == curriculum_id]
    results = (credit or learner_progress.credit).evaluate(specs)
    held_slugs = [
        held.degree.slug
        for held in learner_progress.awards
        if held.degree.curriculum_id == curriculum_id
    ]
    return {"award": award, "next_result": next_degree(results, held_slugs), "oob": oob}


@register.inclusion_tag("progress/includes/curriculum_standing.html", takes_context=True)
def curriculum_standing(context, curriculum):
    """A curriculum card's learner part: resources done of published, and the follow toggle
    (nothing for visitors). Costs the page two queries whatever the number of cards: the
    learner's statuses and their followings."""
    learner_progress = context.get("learner_progress")
    if learner_progress is None:
        return {"show": False}
    done = learner_progress.done_by_curriculum_id.get(curriculum.pk, 0)
    return {
        "show": True,
        "curriculum": curriculum,
        "done": done,
        "published_count": curriculum.resource_count,
        "everyone_follows": is_followed_by_everyone(curriculum),
        "is_following": curriculum.pk in learner_progress.followed_curriculum_ids,
    }
