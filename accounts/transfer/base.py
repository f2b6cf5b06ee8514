"""What the `mlmath-progress` format is: its name, version and limits, shared by every phase."""

FORMAT = "mlmath-progress"
VERSION = 1
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_MB = MAX_IMPORT_BYTES // (1024 * 1024)


class ImportFileError(ValueError):
    """A file that cannot be imported; the message says why, in words a learner understands."""
