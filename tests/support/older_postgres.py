"""Run the SQL-heavy tests against an older PostgreSQL major (`make test-pg15`).

Production Level-1 and warehouse servers are the customer's, often older than the embedded 18:
backflow, aggregation, scenario and quality SQL runs here on Debian's PostgreSQL <major> too, so
version-specific SQL cannot land. The server is private to the run (its own data directory and port).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository (this file is tests/support/older_postgres.py)
sys.path.insert(0, str(ROOT / "plugins"))

from workbench import embedded  # noqa: E402

SUITES = ["tests/backflow", "tests/aggregation", "tests/scenarios", "tests/quality"]


def main(major: str, pytest_args: list[str]) -> int:
    bin_dir = Path(f"/usr/lib/postgresql/{major}/bin")
    if not (bin_dir / "initdb").exists():
        print(f"PostgreSQL {major} is not installed: run `make postgres{major}` (as root) first", file=sys.stderr)
        return 2
    data_dir, port = ROOT / ".local" / f"pg{major}", 54300 + int(major)
    admin = embedded.start(data_dir=data_dir, port=port, bin_dir=bin_dir)
    try:
        env = {**os.environ, "SMARTOPS_TEST_PG_ADMIN": admin}
        version = subprocess.run([sys.executable, "-c", f"import psycopg; print(psycopg.connect({admin!r}).info"
                                  ".server_version)"], env=env, capture_output=True, text=True, check=True)
        print(f"Testing against PostgreSQL server_version {version.stdout.strip()} on port {port}", flush=True)
        return subprocess.call([sys.executable, "-m", "pytest", *(pytest_args or SUITES)], env=env, cwd=ROOT)
    finally:
        embedded.stop(data_dir=data_dir, bin_dir=bin_dir)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2:]))
