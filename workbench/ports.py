"""Free local ports for servers a test, the launcher or a benchmark starts next."""

from __future__ import annotations

import random
import socket

# Below the kernel's ephemeral range (32768-60999), so no outgoing connection can take the port
# between choosing it and the server binding it.
SERVER_PORTS = range(21000, 30000)


def free_port() -> int:
    """Return a local port nothing listens on (random: parallel tests rarely meet)."""
    for port in random.sample(SERVER_PORTS, len(SERVER_PORTS)):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {SERVER_PORTS.start}-{SERVER_PORTS.stop - 1}")
