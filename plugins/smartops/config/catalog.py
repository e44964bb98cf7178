"""The config catalog: the product's declarative config, loaded and cross-checked once, cached.

    catalog().inventory    include/config/backflow_tables.yaml (or $SMARTOPS_INVENTORY_PATH)
    catalog().models       include/config/models.yaml — its inputs checked against the inventory
    catalog().scenarios    include/config/scenarios.yaml — inputs and gates against inventory and models
    catalog().policy       include/soda/policy.yaml

Each part is loaded on first use, so a DAG breaks only on the files it reads (backflow_sync reads
the inventory alone). The catalog is cached per version of its files (path, mtime, size): a
long-running process (the API server's console) sees an edited file on its next request.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from threading import Lock

from smartops.config.inventory import Inventory, inventory_path, load_inventory
from smartops.config.loader import load_model
from smartops.config.models import MODELS_PATH, ODS_TABLES, ModelRegistry
from smartops.config.policy import POLICY_PATH, QualityPolicy
from smartops.config.scenarios import KNOWN_TABLES, SCENARIOS_PATH, ScenarioRegistry


@dataclass(frozen=True)
class CatalogFiles:
    """Where each part of the catalog is read from."""

    inventory: Path
    models: Path = MODELS_PATH
    scenarios: Path = SCENARIOS_PATH
    policy: Path = POLICY_PATH

    @classmethod
    def in_use(cls) -> CatalogFiles:
        return cls(inventory=inventory_path())

    def signature(self) -> tuple:
        """What identifies this version of the files (a missing file is part of it too)."""
        def stat(path: Path) -> tuple:
            try:
                status = os.stat(path)
            except OSError:
                return (str(path), None)
            return (str(path), status.st_mtime_ns, status.st_size)

        return tuple(stat(p) for p in (self.inventory, self.models, self.scenarios, self.policy))


class Catalog:
    """The inventory, models, scenarios and quality policy of one version of the files."""

    def __init__(self, files: CatalogFiles) -> None:
        self.files = files

    @cached_property
    def inventory(self) -> Inventory:
        return load_inventory(self.files.inventory)

    @cached_property
    def models(self) -> ModelRegistry:
        return load_model(self.files.models, ModelRegistry, list_key="models",
                          context={ODS_TABLES: [f"ods.{name}" for name in self.inventory.names]})

    @cached_property
    def scenarios(self) -> ScenarioRegistry:
        known = [f"ods.{name}" for name in self.inventory.names] + [m.name for m in self.models.models]
        return load_model(self.files.scenarios, ScenarioRegistry, list_key="scenarios",
                          context={KNOWN_TABLES: known})

    @cached_property
    def policy(self) -> QualityPolicy:
        return load_model(self.files.policy, QualityPolicy, list_key="tables")


_cache: dict[tuple, Catalog] = {}
_lock = Lock()


def catalog(**files: Path | None) -> Catalog:
    """The catalog of the files in use (cached per their version); keyword paths replace one file (tests)."""
    chosen = replace(CatalogFiles.in_use(), **{k: v for k, v in files.items() if v is not None})
    key = chosen.signature()
    with _lock:
        if key not in _cache:
            _cache.clear()  # one version at a time: an edited file replaces the old catalog
            _cache[key] = Catalog(chosen)
        return _cache[key]


def load_models(path: Path | None = None) -> ModelRegistry:
    """The model registry (default: the file in use), checked against the inventory; ConfigError names file,
    entry and field."""
    return catalog(models=path).models


def load_scenarios(path: Path | None = None) -> ScenarioRegistry:
    """The scenario registry (default: the file in use), checked against the inventory and the models."""
    return catalog(scenarios=path).scenarios


def load_policy(path: Path | None = None) -> QualityPolicy:
    """The quality policy (default: include/soda/policy.yaml)."""
    return catalog(policy=path).policy


def model_dependencies() -> dict[str, list[str]]:
    """Map every model (dwd.x / dws.y) to the tables it reads directly (ods.*, dwd.*, dws.*)."""
    return {m.name: list(m.inputs) for m in catalog().models.models}
