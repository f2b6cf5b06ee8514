"""Forms for browsing the catalog and for curators editing it."""

import datetime
from functools import cached_property
from urllib.parse import quote, unquote

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError

from catalog.awesome import AwesomeListError, read_awesome_list
from catalog.curators import curricula_of
from catalog.models import (
    Curriculum,
    Resource,
    Topic,
    default_curriculum_slug,
    prerequisites_error,
    search_terms,
    searchable_topics,
)
from catalog.search import SearchTerms, one_per_resource
from mlmath.signed_files import (
    MAX_TOKEN_CHARS,
    SignedFileExpired,
    SignedFileInvalid,
    sign_file,
    signed_file,
)
from mlmath.uploads import MB, UploadField


class SearchForm(forms.Form):
    """What a learner searches for, in every published curriculum or one of them."""

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
    curriculum = forms.ChoiceField(required=False)  # choices per form (__init__)
    topic = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Resource.Kind.choices], required=False)
    level = forms.ChoiceField(choices=[("", "All levels"), *Resource.Level.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        topics = searchable_topics()
        curricula = {topic.curriculum.slug: topic.curriculum for topic in topics}
        self.fields["curriculum"].choices = [
            ("", "All curricula"),
            *((slug, curriculum.title) for slug, curriculum in curricula.items()),
        ]
        # A topic is offered by its slug: in one curriculum, that curriculum's topics; in all,
        # each slug once (the same subject in two lists, "linear-algebra", is one choice that
        # finds both).
        chosen = self.data.get("curriculum") if self.is_bound else None
        if chosen in curricula:
            topics = [topic for topic in topics if topic.curriculum.slug == chosen]
        offered = {}
        for topic in topics:
            offered.setdefault(topic.slug, topic.title)
        self.fields["topic"].choices = [("", "All topics"), *offered.items()]

    def filter(self, listings):
        """Narrow a Listing queryset by the cleaned query and filters, one listing per
        resource (`catalog.search.one_per_resource`), best first."""
        data = self.cleaned_data
        if data.get("curriculum"):
            listings = listings.filter(topic__curriculum__slug=data["curriculum"])
        if data.get("topic"):
            listings = listings.filter(topic__slug=data["topic"])
        if data.get("kind"):
            listings = listings.filter(resource__kind=data["kind"])
        if data.get("level"):
            listings = listings.filter(resource__level=data["level"])
        return one_per_resource(listings.search(self.terms))

    @cached_property
    def terms(self):
        """The words of the query that search matches (and the results highlight), with what
        each also finds (`catalog.search.SearchTerms`)."""
        return search_terms(self.cleaned_data.get("q", "")) if self.is_valid() else SearchTerms()

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
        fields = [
            "curriculum",
            "title",
            "slug",
            "summary",
            "guidance",
            "position",
            "is_reading",
            "prerequisites",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.curriculum_id is not None:
            # A topic builds only on topics of its own curriculum.
            self.fields["prerequisites"].queryset = Topic.objects.in_curriculum(
                self.instance.curriculum_id
            )

    def clean(self):
        cleaned_data = super().clean()
        curriculum = cleaned_data.get("curriculum")
        prerequisites = cleaned_data.get("prerequisites")
        if curriculum is None or not prerequisites:
            return cleaned_data
        topic = self.instance
        topic.curriculum = curriculum
        error = prerequisites_error(topic, [p.pk for p in prerequisites])
        if error:
            self.add_error("prerequisites", error)
        return cleaned_data


class AwesomeListImportForm(forms.Form):
    """An awesome list to import, into which curriculum, and how. After a dry run the page
    carries the file back (`previewed`, signed for this curator), so importing it needs no
    second upload; a file chosen again replaces it.

    The list goes into one of the curator's curricula, or into a new one (named by its title
    and slug), created unpublished with the curator as its curator. `target_curriculum` is the
    one chosen, or the new one, not saved yet (the import saves it)."""

    CURRICULUM_FIELDS = {
        "new_title": "title",
        "new_slug": "slug",
        "source_url": "source_url",
        "licence": "licence",
    }

    MAX_BYTES = 1 * MB
    PREVIEW_LIFETIME = datetime.timedelta(minutes=30)
    EXPIRED = (
        "The file of this dry run is more than {minutes} minutes old: choose it again. "
        "Nothing was imported."
    )
    NOT_YOURS = (
        "The file of this dry run cannot be used: it was changed, or kept for another "
        "account. Choose it again. Nothing was imported."
    )

    file = UploadField(
        label="Awesome-list file",
        required=False,  # after a dry run, the file it kept
        allow_empty_file=True,  # So an empty file gets the importer's message, naming it.
        help_text="An awesome list's README: Markdown in UTF-8.",
        max_bytes=MAX_BYTES,
    )
    previewed = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        max_length=MAX_TOKEN_CHARS,
        error_messages={"max_length": NOT_YOURS},
    )
    curriculum = forms.ModelChoiceField(
        queryset=Curriculum.objects.none(),
        required=False,
        empty_label="A new curriculum (named below)",
        help_text="One of your curricula, or a new one.",
    )
    new_title = forms.CharField(
        label="New curriculum's title",
        required=False,
        max_length=Curriculum._meta.get_field("title").max_length,
    )
    new_slug = forms.SlugField(
        label="New curriculum's slug",
        required=False,
        max_length=Curriculum._meta.get_field("slug").max_length,
        help_text="Its address: /slug/. A new curriculum starts unpublished.",
    )
    source_url = forms.URLField(
        label="New curriculum's source URL",
        required=False,
        assume_scheme="https",
        max_length=Curriculum._meta.get_field("source_url").max_length,
        help_text=Curriculum._meta.get_field("source_url").help_text,
    )
    licence = forms.CharField(
        label="New curriculum's licence",
        required=False,
        max_length=Curriculum._meta.get_field("licence").max_length,
        help_text=Curriculum._meta.get_field("licence").help_text,
    )
    dry_run = forms.BooleanField(
        label="Dry run",
        required=False,
        help_text="Show what would change, field by field, and write nothing.",
    )
    unpublished = forms.BooleanField(
        label="Create new topics and resources unpublished",
        required=False,
        help_text=(
            "New resources stay invisible to learners until you publish them, and a new "
            "topic until one of its resources is published."
        ),
    )
    replace_text = forms.BooleanField(
        label="Replace the catalog's text with the list's",
        required=False,
        help_text=(
            "Titles, guidance and notes that differ from the list's become the list's. "
            "Without this they stay as they are, and the report lists each one. Text the "
            "list leaves out is never erased."
        ),
    )

    def __init__(self, *args, curator, **kwargs):
        super().__init__(*args, **kwargs)
        self.curator = curator
        theirs = curricula_of(curator)
        self.fields["curriculum"].queryset = theirs
        if "curriculum" not in self.initial:
            self.initial["curriculum"] = theirs.filter(slug=default_curriculum_slug()).first()
        self.target_curriculum = None
        self.previewed_name = None  # the name of the file a dry run kept
        self.previewed_token = None

    @classmethod
    def after_dry_run(cls, form):
        """The form under a dry run's report: its file kept (when small enough to carry), its
        choices as they were, ready to import."""
        options = {
            name: form.cleaned_data[name]
            for name in ("curriculum", "unpublished", "replace_text", *cls.CURRICULUM_FIELDS)
        }
        next_form = cls(
            curator=form.curator, initial={"previewed": form.previewed_token, **options}
        )
        if form.previewed_token:
            next_form.previewed_name = form.previewed_name
        return next_form

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        self._choose_curriculum(cleaned_data)
        upload, token = cleaned_data.get("file"), cleaned_data.get("previewed")
        try:
            if upload:
                name, content = upload.name, upload.read()
            elif token:
                name, content = self._unpack(token)
            else:
                raise forms.ValidationError("Choose the awesome-list file to import.")
            self.awesome_list = read_awesome_list(content, source=name)
        except AwesomeListError as error:
            self.add_error("file", str(error))
        except forms.ValidationError as error:
            self.add_error("file", error)
        else:
            self.previewed_name = name
            self.previewed_token = sign_file(
                quote(name).encode() + b"\n" + content, salt=self._salt()
            )
        return cleaned_data

    def _choose_curriculum(self, cleaned_data):
        chosen = cleaned_data["curriculum"]
        if "curriculum" not in self.data:
            chosen = self.initial["curriculum"]  # a post that leaves it out: the default
        named = {
            field: cleaned_data[name]
            for name, field in self.CURRICULUM_FIELDS.items()
            if cleaned_data[name]
        }
        if chosen is not None:
            if named:
                self.add_error(
                    "curriculum",
                    "Choose a curriculum or name a new one, not both: leave “A new curriculum” "
                    "chosen to create one.",
                )
            self.target_curriculum = chosen
            return
        if not named and chosen is None and "curriculum" not in self.data:
            self.add_error("curriculum", "Choose one of your curricula, or name a new one.")
            return
        new = Curriculum(**named)
        try:
            new.full_clean(exclude=["curators"])
        except ValidationError as error:
            fields = {field: name for name, field in self.CURRICULUM_FIELDS.items()}
            for field, messages in error.message_dict.items():
                self.add_error(fields.get(field, "curriculum"), messages)
        self.target_curriculum = new

    def _salt(self):
        return f"catalog.awesome-import.{self.curator.pk}"

    def _unpack(self, token):
        try:
            packed = signed_file(
                token,
                salt=self._salt(),
                max_age=self.PREVIEW_LIFETIME,
                max_bytes=self.MAX_BYTES + 1000,  # and the file's name
            )
        except SignedFileExpired as error:
            minutes = int(self.PREVIEW_LIFETIME.total_seconds() // 60)
            raise forms.ValidationError(self.EXPIRED.format(minutes=minutes)) from error
        except SignedFileInvalid as error:
            raise forms.ValidationError(self.NOT_YOURS) from error
        name, _, content = packed.partition(b"\n")
        return unquote(name.decode("ascii")), content
