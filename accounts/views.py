"""The learner's own account pages: settings (and, reached from it, export, import, delete)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import ProfileForm
from accounts.models import Profile, profile_for
from accounts.public import public_profile


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def settings(request):
    profile = profile_for(request.user)
    saved = False
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            if not request.htmx:
                messages.success(request, "Settings saved.")
                return redirect("accounts:settings")
            saved = True
            form = ProfileForm(instance=profile)
    else:
        form = ProfileForm(instance=profile)
    status = 422 if form.errors else 200
    template = "accounts/settings.html"
    if request.htmx and not request.htmx.boosted:
        template += "#settings-form"
    context = {"form": form, "profile": profile, "saved": saved}
    return render(request, template, context, status=status)


@require_GET
@never_cache  # turning the profile off must hide it at once, from every cache too
def profile(request, username):
    """A learner's public page; it does not exist (404) unless they turned it on."""
    profile = get_object_or_404(
        Profile.objects.public().select_related("user"), user__username=username
    )
    return render(request, "accounts/profile.html", public_profile(profile))
