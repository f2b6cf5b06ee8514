"""The learner's dashboard, and the POST endpoints that change a learner's own progress."""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from catalog.models import (
    Listing,
    Milestone,
    default_curriculum_slug,
    main_first_key,
    published_curriculum,
)
from mlmath.caching import cache_page, cached_for_catalog_version
from progress import following, services
from progress.context_processors import EARNED_MESSAGE_TAG, first_safe_url, with_fragment
from progress.dashboard import build_dashboard
from progress.forms import AwardSharingForm, EvidenceForm, NoteForm, StatusForm
from progress.learner import LearnerProgress
from progress.models import DegreeAward, Evidence, ResourceProgress, Status

# The id of base.html's region for the panel that says a degree was just earned.
EARNED_REGION_ID = "earned"


def learner_required(view):
    """Send visitors to sign in and back; HTMX requests get a client-side redirect."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        back_to = safe_next_url(request) or request.get_full_path()
        if request.htmx:
            return HttpResponseClientRedirect(redirect_to_login(back_to).url)
        return redirect_to_login(back_to)

    return wrapper


def safe_next_url(request):
    """Where the learner was: the form's `next`, else HTMX's current URL, if it is ours."""
    current_url = request.htmx.current_url if request.htmx else None
    return first_safe_url(request, request.POST.get("next"), current_url)


@require_safe
@login_required
@cache_page
def dashboard(request):
    context = build_dashboard(LearnerProgress(request.user))
    return render(request, "progress/dashboard.html", context)


def published_listing(request, slug):
    """Where the published resource `slug` is marked from: its listing in the curriculum of the
    page the learner is on (the form's `next`, or HTMX's current URL), else its main listing (in
    the default curriculum, else the first that lists it); knowing its topic's published
    resources' ids. Read once per catalog version and process, as every learner marks the same
    resources."""
    listings = cached_for_catalog_version(f"published-listings:{slug}", lambda: read_listings(slug))
    if not listings:
        raise Http404("No published resource here.")
    on_page = listings.get(curriculum_of_path(safe_next_url(request)))
    return on_page or min(listings.values(), key=main_first_key)


def curriculum_of_path(path):
    """The slug of the curriculum whose page `path` is (the default for any other page)."""
    try:
        match = resolve(urlsplit(path or "/").path)
    except Resolver404:
        return default_curriculum_slug()
    return match.kwargs.get("curriculum") or default_curriculum_slug()


def read_listings(slug):
    """In one query, every published listing of the topics that list `slug`: the listings of
    `slug`, by their curriculum's slug, each knowing its topic's published resources
    (`topic_published_ids`, so a completion's topic bar is counted from the credit the award
    check read)."""
    in_same_topics = list(
        Listing.objects.published()
        .select_related("resource", "topic__curriculum")
        .filter(topic__listings__resource__slug=slug, topic__listings__resource__is_published=True)
    )
    listings = {}
    for listing in in_same_topics:
        if listing.resource.slug != slug:
            continue
        same_topic = [other for other in in_same_topics if other.topic_id == listing.topic_id]
        listing.topic_published_ids = frozenset(other.resource_id for other in same_topic)
        listing.topic_published_count = len(same_topic)
        listings[listing.topic.curriculum.slug] = listing
    return listings


def highest_new_award(written):
    """The highest degree a write earned (one write may meet several), or None."""
    return max(written.new_awards, key=lambda award: award.degree.rank, default=None)


def back_with_message(request, confirmation, *, default, fragment, earned=False):
    """Where a plain form post returns: the page it came from (its `next`, else `default`), at
    the element it changed (`fragment`, its id), with `confirmation` as a message. A write that
    earned a degree returns to the panel that says so instead, shown from that message."""
    messages.success(request, confirmation, extra_tags=EARNED_MESSAGE_TAG if earned else "")
    url = safe_next_url(request) or default
    return redirect(with_fragment(url, EARNED_REGION_ID if earned else fragment))


def resource_response(request, listing, written, confirmation):
    """For HTMX, the resource's card rendered from the row just written, with its topic's bar
    when what counts changed and, when a degree was earned (awards are never taken back by a
    status change), the header badge and the earned panel, all out of band; otherwise back to
    the resource on the page, saying `confirmation`."""
    new_award = highest_new_award(written)
    if request.htmx:
        context = {
            "resource": listing.resource,
            "listing": listing,
            "progress": written.row,
            "credit_changed": written.credit_changed,
            "new_award": new_award,
            "credit": written.credit,
        }
        if written.credit_changed:  # a write that counts read the credit: no query needed
            context["done_in_topic"] = (
                written.credit.done_among(listing.topic_published_ids)
                if written.credit is not None
                else LearnerProgress(request.user).done_among(listing.topic_published_ids)
            )
        return render(request, "progress/resource_changed.html", context)
    return back_with_message(
        request,
        confirmation,
        default=listing.get_absolute_url(),
        fragment=f"resource-{listing.resource.slug}",
        earned=new_award is not None,
    )


@require_POST
@learner_required
def set_status(request, slug):
    listing = published_listing(request, slug)
    resource = listing.resource
    form = StatusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            f"Unknown status “{request.POST.get('status', '')}”. "
            f"Use {', '.join(Status.values[:-1])} or {Status.values[-1]}.",
            content_type="text/plain; charset=utf-8",
        )
    written = services.set_resource_status(
        learner=request.user, resource=resource, status=form.cleaned_data["status"]
    )
    confirmation = f"{resource.title}: {written.row.get_status_display().lower()}."
    return resource_response(request, listing, written, confirmation)


@require_POST
@learner_required
def update_note(request, slug):
    listing = published_listing(request, slug)
    resource = listing.resource
    form = NoteForm(request.POST, resource=resource)
    if not form.is_valid():
        context = {
            "resource": resource,
            "listing": listing,
            "progress": ResourceProgress.objects.filter(
                learner=request.user, resource=resource
            ).first(),
            "note_form": form,
        }
        template = "progress/note_form.html" + ("#card" if request.htmx else "")
        return render(request, template, context, status=422)
    written = services.set_resource_note(
        learner=request.user, resource=resource, note=form.cleaned_data["note"]
    )
    confirmation = f"Your note on {resource.title} is {'saved' if written.row.note else 'removed'}."
    return resource_response(request, listing, written, confirmation)


def milestone_on_page(request, slug):
    """The milestone `slug` of the curriculum whose page the learner is on (a degree page
    under `/<curriculum>/`), else of the default curriculum: slugs are unique per curriculum."""
    curriculum_slug = curriculum_of_path(safe_next_url(request))
    return get_object_or_404(Milestone.objects.filter(curriculum__slug=curriculum_slug), slug=slug)


def milestone_response(request, milestone, written, confirmation):
    """For HTMX, the milestone's section rendered from the evidence just written (`written.row`,
    None once withdrawn), with the header badge and the earned panel when a degree was earned;
    otherwise back to the milestone on the page, saying `confirmation`."""
    new_award = highest_new_award(written)
    if request.htmx:
        context = {
            "milestone": milestone,
            "evidence": written.row,
            "new_award": new_award,
            "credit": written.credit,
        }
        return render(request, "progress/milestone_changed.html", context)
    return back_with_message(
        request,
        confirmation,
        default=reverse("progress:dashboard"),
        fragment=f"milestone-{milestone.slug}",
        earned=new_award is not None,
    )


@require_POST
@learner_required
def submit_evidence(request, slug):
    milestone = milestone_on_page(request, slug)
    form = EvidenceForm(request.POST, milestone=milestone)
    if not form.is_valid():
        context = {
            "milestone": milestone,
            "evidence": Evidence.objects.filter(learner=request.user, milestone=milestone).first(),
            "evidence_form": form,
        }
        template = (
            "progress/milestone_changed.html" if request.htmx else "progress/evidence_form.html"
        )
        return render(request, template, context, status=422)
    written = services.submit_evidence(
        learner=request.user, milestone=milestone, **form.cleaned_data
    )
    confirmation = f"Evidence for “{milestone.title}” saved. It counts right away."
    return milestone_response(request, milestone, written, confirmation)


@require_POST
@learner_required
def withdraw_evidence(request, slug):
    milestone = milestone_on_page(request, slug)
    services.withdraw_evidence(learner=request.user, milestone=milestone)
    withdrawn = services.WriteResult(row=None, credit_changed=True)
    return milestone_response(
        request, milestone, withdrawn, f"Evidence for “{milestone.title}” withdrawn."
    )


@require_POST
@learner_required
def set_award_sharing(request, public_id):
    """Make one of the learner's own badges shareable or private; anyone else's is a 404."""
    award = get_object_or_404(
        DegreeAward.objects.for_learner(request.user).valid().select_related("degree"),
        public_id=public_id,
    )
    form = AwardSharingForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "Unknown sharing choice; use shared or private.",
            content_type="text/plain; charset=utf-8",
        )
    award.set_shared(form.shared)
    if request.htmx:
        return render(request, "progress/dashboard.html#award-sharing", {"award": award})
    if award.is_shared:
        messages.success(request, f"Your {award.degree.title} badge is now shareable.")
    else:
        messages.success(request, f"Your {award.degree.title} badge is private again.")
    # Back to the badge on the dashboard, or where the form says (the earned panel's control
    # goes on to the share page).
    back_to_badge = reverse("progress:dashboard") + f"#badge-{award.degree.slug}"
    return redirect(safe_next_url(request) or back_to_badge)


def following_changed(request, slug, write):
    """Follow or unfollow the published curriculum `slug` (`write`), then show the learner its
    button again (HTMX), or take them back where they were with a message."""
    curriculum = published_curriculum(slug)
    if curriculum is None:
        raise Http404("No curriculum here.")
    is_following = write(learner=request.user, curriculum=curriculum)
    context = {
        "curriculum": curriculum,
        "is_following": is_following,
        "everyone_follows": following.is_followed_by_everyone(curriculum),
    }
    if request.htmx:
        return render(request, "progress/includes/follow_button.html#follow-button", context)
    if is_following:
        messages.success(
            request, f"You follow {curriculum.title}: it has a section on your dashboard."
        )
    else:
        messages.success(
            request, f"You no longer follow {curriculum.title}; your progress in it stays."
        )
    return redirect(safe_next_url(request) or reverse("catalog:curriculum_list"))


@require_POST
@learner_required
def follow_curriculum(request, slug):
    return following_changed(request, slug, following.follow)


@require_POST
@learner_required
def unfollow_curriculum(request, slug):
    return following_changed(request, slug, following.unfollow)
