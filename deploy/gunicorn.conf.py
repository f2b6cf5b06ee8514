"""gunicorn settings for mlmath behind nginx (docs/operations.md); `make cluster` uses this file.

gunicorn's sync workers are only safe behind a buffering proxy: nginx reads slow clients'
requests and responses in full, so a worker is busy only while Django runs.
"""

import multiprocessing
import os

# Loopback only: nginx is the only client. Never bind an app server to 0.0.0.0.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that runs this long is stuck; the worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then so slow leaks never add up; jitter avoids all restarting at once.
max_requests = 2000
max_requests_jitter = 200
# nginx on this host sets X-Forwarded-Proto; only it is trusted to.
forwarded_allow_ips = "127.0.0.1"
# nginx writes the access log; gunicorn logs errors to standard error.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "mlmath")
# Every gunicorn on a host defaults to the same control socket (~/.gunicorn/gunicorn.ctl), so
# a second server would take over the first one's; signals (HUP, TERM) manage the servers.
control_socket_disable = True
