"""gunicorn's settings for ``comeforward serve`` in production (docs/deploy.md "Web").

Environment: ``COMEFORWARD_BIND`` (default 127.0.0.1:8000; the proxy connects here),
``COMEFORWARD_WEB_WORKERS`` (default 2 × cores + 1), ``COMEFORWARD_WEB_THREADS`` (default 1),
``FORWARDED_ALLOW_IPS`` (the proxy's address, default 127.0.0.1). Access lines come from the
application (URL patterns, no addresses), so gunicorn's own access log is off.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from pathlib import Path

bind = [os.environ.get("COMEFORWARD_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("COMEFORWARD_WEB_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("COMEFORWARD_WEB_THREADS") or 1)
timeout = int(os.environ.get("COMEFORWARD_WEB_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
errorlog = "-"
capture_output = True
proc_name = "comeforward-web"
_SHM = "/dev/shm"  # noqa: S108 - gunicorn heartbeat files in memory (read-only root)
if Path(_SHM).is_dir():
    worker_tmp_dir = _SHM

# Metrics across worker processes (prometheus-client multiprocess mode): a fresh directory
# per server start, set before the workers import the application.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="comeforward-metrics-")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "comeforward.web.observability.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}


def on_starting(server):
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
