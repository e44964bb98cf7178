"""The generated contract files: docs/contracts/<table>.md and .json, the index page, and the lock."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from smartops.contracts.exceptions import VersionNotBumped
from smartops.contracts.lock import lock_problems, lock_text, read_lock
from smartops.contracts.model import CONTRACTS_DIR, LOCK_PATH, Contract
from smartops.contracts.render import contract_json, contract_markdown, index_markdown


def generated_files(contracts: list[Contract], *, folder: Path = CONTRACTS_DIR,
                    lock_path: Path = LOCK_PATH) -> dict[Path, str]:
    """Every file `write` produces, path -> content."""
    files = {folder / "README.md": index_markdown(contracts), lock_path: lock_text(contracts)}
    for contract in contracts:
        files[folder / f"{contract.name}.md"] = contract_markdown(contract)
        files[folder / f"{contract.name}.json"] = contract_json(contract)
    return files


def stale_files(files: dict[Path, str]) -> list[Path]:
    """The files whose committed content differs from the generated one (or that are missing)."""
    return [path for path, text in files.items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text]


def write_contracts(contracts: list[Contract], *, folder: Path = CONTRACTS_DIR,
                    lock_path: Path = LOCK_PATH) -> list[Path]:
    """Write the files that changed; return them. Raise VersionNotBumped before writing anything.

    Contract files of marts no longer published are removed from `folder`.
    """
    problems = lock_problems(contracts, read_lock(lock_path))
    if problems:
        raise VersionNotBumped(problems)
    files = generated_files(contracts, folder=folder, lock_path=lock_path)
    changed = stale_files(files)
    folder.mkdir(parents=True, exist_ok=True)
    for path in changed:
        path.write_text(files[path], encoding="utf-8")
    gone = [p for p in folder.glob("*.*") if p.suffix in (".md", ".json") and p not in files]
    for path in gone:
        path.unlink()
    return changed + gone


def published_contract(table: str, folder: Path = CONTRACTS_DIR) -> dict[str, Any]:
    """The committed JSON contract of ads table `table` (bare or ads.-qualified), as the console serves it."""
    return json.loads((folder / f"{table.removeprefix('ads.')}.json").read_text(encoding="utf-8"))
