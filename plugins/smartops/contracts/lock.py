"""The contracts lock (include/config/contracts.lock.json): each mart's version and columns hash as released."""

from __future__ import annotations

import json
from pathlib import Path

from smartops.contracts.model import LOCK_PATH, REGENERATE, Contract, version_key


def read_lock(path: Path = LOCK_PATH) -> dict[str, dict[str, str | int]]:
    """The lock: table -> {version, columns_hash}; empty when there is no lock yet."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def lock_text(contracts: list[Contract]) -> str:
    """The lock file's content for `contracts`."""
    lock = {c.table: {"version": c.version, "columns_hash": c.columns_hash} for c in contracts}
    return json.dumps(lock, indent=2) + "\n"


def lock_problems(contracts: list[Contract], lock: dict[str, dict[str, str | int]]) -> list[str]:
    """Each mart whose columns changed without a higher version, or whose version went back."""
    problems = []
    for contract in contracts:
        locked = lock.get(contract.table)
        if locked is None:
            continue  # a new mart: its first version is released by writing the lock
        before, now = version_key(locked["version"]), version_key(contract.version)
        if now < before:
            problems.append(f"{contract.table}: version {contract.version} is lower than the released "
                            f"{locked['version']}; versions only go up: fix version in scenarios.yaml")
        elif locked["columns_hash"] != contract.columns_hash and now == before:
            problems.append(f"{contract.table}: columns or types changed (hash {locked['columns_hash']} -> "
                            f"{contract.columns_hash}) but version stays {contract.version}: bump version in "
                            f"scenarios.yaml and run {REGENERATE}")
    return problems
