"""No models: the module exists so that Django sends this app `post_migrate`, which creates the
database cache tables (see `mlmath.apps`)."""
