"""What the `mlmath-progress` format is: its name, version and limits, shared by every phase."""

from mlmath.uploads import MB

FORMAT = "mlmath-progress"
# Version 2 names, per progress row, the resource's canonical URL and the curricula that list
# it; import reads both versions (version 1 files have neither).
VERSION = 2
READABLE_VERSIONS = (1, 2)
MAX_IMPORT_BYTES = 5 * MB
# An export nests four levels deep (document, section, row, resource); the slack is for
# files other tools wrote.
MAX_IMPORT_DEPTH = 16
# A resource is listed in a handful of curricula; a file naming more was not made by mlmath.
MAX_CURRICULA_PER_ROW = 100


class ImportFileError(ValueError):
    """A file that cannot be imported; the message says why, in words a learner understands."""
