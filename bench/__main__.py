"""Run every benchmark part that exists: `make bench` (BENCH_SCALE=50 ≈ 1M voucher lines)."""

from __future__ import annotations

import logging

from bench import backflow


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    backflow.run()


if __name__ == "__main__":
    main()
