"""Who keeps which curriculum: a curator (staff in the Curators group) is given one or several
curricula (`Curriculum.curators`) and the admin shows and edits only their rows; a superuser
keeps them all. `curricula_of` is the rule; `CurriculumScopedAdmin` applies it to an admin's
list, change and delete pages, foreign-key choices and actions, in one place."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from catalog.models import Curriculum, Degree, Listing, Milestone, Resource, Topic


def curricula_of(user):
    """The curricula `user` keeps in the admin: every one for a superuser, else those they are a
    curator of."""
    if user.is_superuser:
        return Curriculum.objects.all()
    return Curriculum.objects.filter(curators=user.pk)


def within_curricula(queryset, user, path):
    """The rows of `queryset` that reach a curriculum `user` keeps through the lookup `path`
    ("pk" for curricula themselves); all of them for a superuser.

    A path through listings (a resource may be listed in several curricula) is read in a
    subquery, so no row repeats. A resource listed nowhere belongs to no curriculum yet: any
    curator may see it, to list it in theirs.
    """
    if user.is_superuser:
        return queryset
    theirs = curricula_of(user).values("pk")
    if "listings" not in path:
        return queryset.filter(**{f"{path}__in": theirs})
    listed_in_theirs = queryset.model._base_manager.filter(**{f"{path}__in": theirs})
    condition = Q(pk__in=listed_in_theirs.values("pk"))
    if queryset.model is Resource:
        condition |= ~Exists(Listing.objects.filter(resource=OuterRef("pk")))
    return queryset.filter(condition)


# How a row a form may point to reaches its curriculum: the choices of every foreign key (and
# many-to-many) to these models are limited to the curator's curricula.
CURRICULUM_PATHS = {
    Curriculum: "pk",
    Topic: "curriculum",
    Degree: "curriculum",
    Milestone: "curriculum",
    Listing: "topic__curriculum",
    Resource: "listings__topic__curriculum",
}


class CurriculumScopedAdmin:
    """An admin (or inline) whose rows belong to curricula: a curator sees and acts only on the
    rows of theirs, and picks foreign keys only among them. Another curriculum's row is not
    found (404) on its change, delete and history pages, and an action posted on one is refused
    (403). Put it before the ModelAdmin in the bases."""

    curriculum_path = "curriculum"  # the lookup from this admin's model to its curriculum

    def get_queryset(self, request):
        return within_curricula(super().get_queryset(request), request.user, self.curriculum_path)

    def get_object(self, request, object_id, from_field=None):
        row = super().get_object(request, object_id, from_field)
        if row is None and not request.user.is_superuser:
            # The admin would redirect to its index saying "perhaps it was deleted"; for a
            # curator the row may exist in another curriculum, which is none of theirs.
            raise Http404
        return row

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._limited(
            super().formfield_for_foreignkey(db_field, request, **kwargs), db_field, request
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._limited(
            super().formfield_for_manytomany(db_field, request, **kwargs), db_field, request
        )

    def _limited(self, formfield, db_field, request):
        path = CURRICULUM_PATHS.get(db_field.related_model)
        if formfield is not None and path is not None:
            formfield.queryset = within_curricula(formfield.queryset, request.user, path)
        return formfield

    def changelist_view(self, request, extra_context=None):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME) if request.method == "POST" else []
        if selected and not request.user.is_superuser:
            try:
                found = self.get_queryset(request).filter(pk__in=selected).count()
            except (ValueError, TypeError):
                found = -1
            if found != len(set(selected)):
                raise PermissionDenied
        return super().changelist_view(request, extra_context)
