"""Deployment: nginx and gunicorn configuration, `make cluster` and the load and fault suite."""
