"""The learner's dashboard, and the POST endpoints that change a learner's own progress."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from catalog.models import Milestone, Resource
from progress import services
from progress.context_processors import first_safe_url
from progress.dashboard import build_dashboard
from progress.forms import AwardSharingForm, EvidenceForm, NoteForm, StatusForm
from progress.learner import LearnerProgress
from progress.models import DegreeAward


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
def dashboard(request):
    context = build_dashboard(LearnerProgress(request.user))
    return render(request, "progress/dashboard.html", context)


def resource_response(request, resource, note_form=None, status=200):
    """The changed resource for HTMX (the learner's row is re-read by the card's template tag);
    otherwise back to the page, or the note form again with its errors."""
    if request.htmx:
        context = {
            "resource": resource,
            "note_form": note_form,
            "published_count": resource.topic.resources.published().count(),
        }
        return render(request, "progress/resource_changed.html", context, status=status)
    if status != 200:
        context = {"resource": resource, "note_form": note_form}
        return render(request, "progress/note_form.html", context, status=status)
    return redirect(safe_next_url(request) or resource.get_absolute_url())


@require_POST
@learner_required
def set_status(request, slug):
    resource = get_object_or_404(Resource.objects.published().select_related("topic"), slug=slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            f"Unknown status “{request.POST.get('status', '')}”. "
            "Use not_started, in_progress, completed or skipped.",
            content_type="text/plain; charset=utf-8",
        )
    services.set_resource_status(
        learner=request.user, resource=resource, status=form.cleaned_data["status"]
    )
    return resource_response(request, resource)


@require_POST
@learner_required
def update_note(request, slug):
    resource = get_object_or_404(Resource.objects.published().select_related("topic"), slug=slug)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return resource_response(request, resource, note_form=form, status=422)
    services.set_resource_note(
        learner=request.user, resource=resource, note=form.cleaned_data["note"]
    )
    return resource_response(request, resource)


def milestone_response(request, milestone, evidence_form=None, status=200):
    if request.htmx:
        context = {"milestone": milestone, "evidence_form": evidence_form}
        return render(request, "progress/milestone_changed.html", context, status=status)
    if status != 200:
        context = {"milestone": milestone, "evidence_form": evidence_form}
        return render(request, "progress/evidence_form.html", context, status=status)
    return redirect(
        safe_next_url(request) or reverse("progress:dashboard") + f"#milestone-{milestone.slug}"
    )


@require_POST
@learner_required
def submit_evidence(request, slug):
    milestone = get_object_or_404(Milestone, slug=slug)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return milestone_response(request, milestone, evidence_form=form, status=422)
    services.submit_evidence(learner=request.user, milestone=milestone, **form.cleaned_data)
    if not request.htmx:
        messages.success(request, f"Evidence for “{milestone.title}” saved. It counts right away.")
    return milestone_response(request, milestone)


@require_POST
@learner_required
def withdraw_evidence(request, slug):
    milestone = get_object_or_404(Milestone, slug=slug)
    services.withdraw_evidence(learner=request.user, milestone=milestone)
    if not request.htmx:
        messages.success(request, f"Evidence for “{milestone.title}” withdrawn.")
    return milestone_response(request, milestone)


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
    return redirect(reverse("progress:dashboard") + f"#degree-{award.degree.slug}")
