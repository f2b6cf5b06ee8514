"""Forms for browsing the catalog and for curators editing it."""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple

from catalog.models import Resource, Topic, prerequisite_cycle_error
from catalog.search import query_terms


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Words or their beginnings: eigen, fourier, edx",
                "autocomplete": "off",
            }
        ),
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.shown_to_learners(),
        to_field_name="slug",
        required=False,
        empty_label="All topics",
    )
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Resource.Kind.choices], required=False)
    level = forms.ChoiceField(choices=[("", "All levels"), *Resource.Level.choices], required=False)

    def filter(self, resources):
        """Narrow a Resource queryset by the cleaned query and filters."""
        data = self.cleaned_data
        resources = resources.search(data.get("q", "").strip())
        if data.get("topic"):
            resources = resources.filter(topic=data["topic"])
        if data.get("kind"):
            resources = resources.filter(kind=data["kind"])
        if data.get("level"):
            resources = resources.filter(level=data["level"])
        return resources

    @property
    def terms(self):
        """The words of the query that search matches (and the results highlight)."""
        return query_terms(self.cleaned_data.get("q", "")) if self.is_valid() else []

    @property
    def is_filtering(self):
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class TopicAdminForm(forms.ModelForm):
    # Declared here: the admin makes no field for a relation through a model of its own.
    prerequisites = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=FilteredSelectMultiple("prerequisites", is_stacked=False),
        help_text=Topic._meta.get_field("prerequisites").help_text,
    )

    class Meta:
        model = Topic
        fields = ["title", "slug", "summary", "guidance", "position", "is_reading", "prerequisites"]

    def clean_prerequisites(self):
        prerequisites = self.cleaned_data["prerequisites"]
        if self.instance.pk is not None:
            error = prerequisite_cycle_error(self.instance, [p.pk for p in prerequisites])
            if error:
                raise error
        return prerequisites
