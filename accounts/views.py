"""The learner's own account pages: settings (and, reached from it, export, import, delete)."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import HttpResponseClientRedirect

from accounts.forms import ConfirmImportForm, DeleteAccountForm, ImportForm, ProfileForm
from accounts.models import Profile, profile_for
from accounts.public import profile_preview, public_profile
from accounts.services import delete_account
from accounts.transfer.apply import import_progress
from accounts.transfer.export import export_document, export_progress_csv
from accounts.transfer.preview import PREVIEW_LIFETIME, sign_preview


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def settings(request):
    saved = False
    if request.method == "POST":
        profile = Profile.objects.for_user(request.user)
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            if not request.htmx:
                messages.success(request, "Settings saved.")
                return redirect("accounts:settings")
            saved = True
            form = ProfileForm(instance=profile)
    else:
        profile = profile_for(request.user)
        form = ProfileForm(instance=profile)
    status = 422 if form.errors else 200
    template = "accounts/settings.html"
    if request.htmx and not request.htmx.boosted:
        template += "#settings-form"
    context = {"form": form, "profile": profile, "saved": saved}
    return render(request, template, context, status=status)


@require_safe
@never_cache  # turning the profile off must hide it at once, from every cache too
def profile(request, username):
    """A learner's public page; it does not exist (404) unless they turned it on."""
    profile = get_object_or_404(
        Profile.objects.public().select_related("user"), user__username=username
    )
    shown = public_profile(profile)
    url = request.build_absolute_uri(profile.get_absolute_url())
    preview = profile_preview(profile, shown["topics"], url)
    return render(request, "accounts/profile.html", {**shown, "preview": preview})


@require_safe
@login_required
def export(request):
    return render(request, "accounts/export.html")


def download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_filename(request, extension):
    return f"mlmath-progress-{request.user.get_username()}-{timezone.now():%Y-%m-%d}.{extension}"


@require_safe
@login_required
def export_json(request):
    document = export_document(request.user, request.build_absolute_uri)
    content = json.dumps(document, ensure_ascii=False, indent=2)
    return download(content, "application/json; charset=utf-8", export_filename(request, "json"))


@require_safe
@login_required
def export_csv(request):
    return download(
        export_progress_csv(request.user),
        "text/csv; charset=utf-8",
        export_filename(request, "csv"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def import_view(request):
    """Upload an export: "Preview" shows what would change, "Import" merges it; after a
    preview, "Import these changes" merges the previewed file without a second upload."""
    form, report = ImportForm(), None
    confirm_form, confirm_errors = None, []  # the "Import these changes" form after a preview
    if request.method == "POST" and "preview" in request.POST:
        submitted = ConfirmImportForm(request.POST, learner=request.user)
        if submitted.is_valid():
            report = import_progress(learner=request.user, parsed=submitted.cleaned_data["preview"])
        else:
            confirm_errors = submitted.errors["preview"]
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            dry_run = request.POST.get("action") != "import"
            report = import_progress(
                learner=request.user, parsed=form.cleaned_data["file"], dry_run=dry_run
            )
            token = sign_preview(form.content, learner=request.user) if dry_run else None
            if token:
                confirm_form = ConfirmImportForm(initial={"preview": token}, learner=request.user)
            form = ImportForm()
    template = "accounts/import.html"
    if request.htmx and not request.htmx.boosted:
        template += "#import-panel"
    context = {
        "form": form,
        "report": report,
        "confirm_form": confirm_form,
        "confirm_errors": confirm_errors,
        "preview_minutes": int(PREVIEW_LIFETIME.total_seconds() // 60),
    }
    status = 422 if form.errors or confirm_errors else 200
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delete(request):
    """Delete the account after the password is typed again; sign out and say what happened."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        deleted = delete_account(user=request.user)
        logout(request)
        badges = {
            0: "",
            1: " Your badge now shows as revoked to anyone who checks it.",
        }.get(
            deleted.revoked_awards,
            f" Your {deleted.revoked_awards} badges now show as revoked to anyone who checks them.",
        )
        messages.success(
            request,
            f"The account “{deleted.username}” and everything in it (progress, notes, evidence, "
            f"activity, settings) were deleted, and you were signed out everywhere.{badges}",
        )
        if request.htmx:
            return HttpResponseClientRedirect("/")
        return redirect("catalog:index")
    template = "accounts/delete.html"
    if request.htmx and not request.htmx.boosted:
        template += "#delete-form"
    return render(request, template, {"form": form}, status=422 if form.errors else 200)
