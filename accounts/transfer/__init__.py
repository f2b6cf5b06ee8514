"""Take your progress with you: the `mlmath-progress` format, one module per phase.

`base` holds the format's constants and errors, `export` writes it (JSON and a CSV of
progress), `parse` reads a file into plain rows without touching the database, `preview`
signs a previewed file so it can be imported without a second upload, and `apply` merges
those rows into a learner's progress in one transaction.
"""
