"""What the `mlmath-progress` format is: its name, version and limits, shared by every phase."""

from mlmath.uploads import MB

FORMAT = "mlmath-progress"
VERSION = 1
MAX_IMPORT_BYTES = 5 * MB
# An export nests four levels deep (document, section, row, resource); the slack is for
# files other tools wrote.
MAX_IMPORT_DEPTH = 16


class ImportFileError(ValueError):
    """A file that cannot be imported; the message says why, in words a learner understands."""
