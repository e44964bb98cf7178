"""A mart contract: what a BI consumer may rely on for one published ads table."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict

from smartops.paths import CONFIG_DIR, PROJECT_ROOT

CONTRACTS_DIR = PROJECT_ROOT / "docs" / "contracts"
LOCK_PATH = CONFIG_DIR / "contracts.lock.json"
REGENERATE = "python -m smartops.contracts write"

# One policy for every mart; the version in scenarios.yaml is how consumers see a change coming.
CHANGE_POLICY = (
    "Versions follow semantic versioning (an integer version counts as MAJOR.0.0).",
    "MAJOR: a column is removed, renamed or retyped, the grain changes, or a rule changes which rows or values "
    "appear. The owner announces it to every consumer before it is deployed.",
    "MINOR: a column is added. Consumers select columns by name and tolerate new ones.",
    "PATCH: a fix that changes no column, grain or rule (e.g. a corrected check or wording).",
    "A change of columns or types without a new version is refused by python -m smartops.contracts write and "
    "fails the tests (include/config/contracts.lock.json keeps each released version and columns hash).",
    "Publishing is atomic: readers see the previous mart or the new one, never a partial one. When the quality "
    "gate or the mart's checks refuse a refresh, the previous publish stays and as_of_date says which business "
    "date it stands for.",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ContractColumn(_Frozen):
    name: str
    type: str


class MartCheck(_Frozen):
    """One SodaCL check run on the freshly built mart before it is published."""

    name: str
    rule: str


class GateTable(_Frozen):
    """An input whose quality checks must pass for the business date before the mart is refreshed."""

    table: str
    check_file: str | None
    checks: list[str]


class Contract(_Frozen):
    """The versioned contract of one ads table (docs/contracts/<table>.md and .json)."""

    table: str
    version: str | int
    scenario: str
    title_zh: str
    title_en: str
    owner: str
    description: str
    deadline: str
    timezone: str
    freshness_sla: str
    grain: list[str]
    columns: list[ContractColumn]
    columns_hash: str
    inputs: list[str]
    gate: list[GateTable]
    checks: list[MartCheck]
    rules: list[str]
    change_policy: list[str]

    @property
    def name(self) -> str:
        """The bare table name (ads.x -> x)."""
        return self.table.split(".", 1)[1]


def columns_hash(columns: list[ContractColumn]) -> str:
    """A short stable hash of the columns' names, types and order."""
    text = "\n".join(f"{c.name} {c.type}" for c in columns)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def version_key(version: str | int) -> tuple[int, int, int]:
    """The version as a comparable (major, minor, patch); an integer n is n.0.0."""
    if isinstance(version, int):
        return version, 0, 0
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch
