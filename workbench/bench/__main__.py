"""Run the benchmarks: `make bench` (BENCH_SCALE=50 ≈ 1M voucher lines; `make bench PART=backflow` for one)."""

from __future__ import annotations

import argparse
import logging

from workbench.bench import aggregation, backflow, cycle, detection, incremental, pipeline, scale

PARTS = {"backflow": backflow.run, "incremental": incremental.run, "pipeline": pipeline.run,
         "aggregation": aggregation.run, "scale": scale.run, "cycle": cycle.run, "detection": detection.run}


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("parts", nargs="*", metavar="PART", help=f"any of {', '.join(PARTS)} (default: all)")
    parts = parser.parse_args().parts or list(PARTS)
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    for part in parts:
        PARTS[part]()


if __name__ == "__main__":
    main()
