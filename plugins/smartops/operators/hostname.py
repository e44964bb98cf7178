"""`[core] hostname_callable` of every deployment: the name a task instance shows as the host that ran it.

A Celery worker started with a name (compose: each replica's container hostname; the cluster
launcher: `worker-1`, `worker-2` …) shows that name; anything else the machine's FQDN.
"""

from __future__ import annotations

import os
import socket

WORKER_NAME_ENV = "SMARTOPS_WORKER_NAME"


def worker_hostname() -> str:
    """Return the worker's configured name, else the host's fully qualified name."""
    return os.environ.get(WORKER_NAME_ENV) or socket.getfqdn()
