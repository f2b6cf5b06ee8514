"""Awesome lists in and out, one module per phase (as in django.core.serializers):

- base: the shared types, above all AwesomeList, the plain-data plan of an import;
- parse: awesome-list Markdown into that plan, without touching the database (guess and
  inline are its helpers: what a label or URL says about a resource, and inline Markdown);
- apply: the plan applied to the catalog in one transaction, never erasing a curator's text;
- report: what an import did or (a dry run) would do, field by field;
- export: the catalog written back as an awesome list.

The names below are the package's public interface; import them from `catalog.awesome`.
"""

from catalog.awesome import base
from catalog.awesome.apply import (
    PROVIDER_MAX_LENGTH,
    import_awesome_list,
    imported_text,
    plan_positions,
)
from catalog.awesome.base import *  # noqa: F403 (the shared types: base.__all__)
from catalog.awesome.export import (
    DEFAULT_EXPORT_DESCRIPTION,
    DEFAULT_EXPORT_TITLE,
    render_awesome_list,
)
from catalog.awesome.guess import guess_provider
from catalog.awesome.parse import (
    TITLE_MAX_LENGTH,
    TOPIC_TITLE_MAX_LENGTH,
    URL_MAX_LENGTH,
    decode_awesome_list,
    parse_awesome_list,
    read_awesome_list,
)
from catalog.awesome.report import (
    CATALOG_TEXT_KEPT,
    LIST_SAYS_NOTHING,
    Change,
    FieldChange,
    ImportReport,
    KeptText,
)

__all__ = [
    *base.__all__,
    "DEFAULT_EXPORT_DESCRIPTION",
    "DEFAULT_EXPORT_TITLE",
    "CATALOG_TEXT_KEPT",
    "LIST_SAYS_NOTHING",
    "PROVIDER_MAX_LENGTH",
    "TITLE_MAX_LENGTH",
    "TOPIC_TITLE_MAX_LENGTH",
    "URL_MAX_LENGTH",
    "Change",
    "FieldChange",
    "ImportReport",
    "KeptText",
    "decode_awesome_list",
    "guess_provider",
    "import_awesome_list",
    "imported_text",
    "parse_awesome_list",
    "plan_positions",
    "read_awesome_list",
    "render_awesome_list",
]
