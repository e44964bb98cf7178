"""Find the SodaCL check files, `include/soda/<layer>/<table>.yml`, and select scan targets."""

from __future__ import annotations

from pathlib import Path

from smartops.paths import SODA_DIR
from smartops.quality.exceptions import UnknownScanTarget
from smartops.quality.model import CheckFile
from smartops.vocabulary import Layer

LAYERS = (Layer.ODS, Layer.DWD, Layer.DWS, Layer.ADS)
# What a scan covers when no layer or table is chosen. The ads marts are checked by scenario_refresh
# in staging before they are published (include/soda/ads); quality_scan re-checks them on request.
DEFAULT_LAYERS = (Layer.ODS, Layer.DWD, Layer.DWS)


def discover(root: Path = SODA_DIR) -> list[CheckFile]:
    """Return every check file under `root`, in layer order then table name."""
    return [
        CheckFile(layer=layer.value, table=path.stem, path=path)
        for layer in LAYERS
        for path in sorted((root / layer).glob("*.yml"))
    ]


def layers_of(files: list[CheckFile]) -> list[str]:
    """The layers that have check files, in layer order (the scan form's choices)."""
    return sorted({f.layer for f in files}, key=LAYERS.index)


def select(files: list[CheckFile], *, layer: str | None = None, table: str | None = None) -> list[CheckFile]:
    """Return the files of one table (`<layer>.<table>`), one layer, or DEFAULT_LAYERS; raise UnknownScanTarget."""
    if table:
        chosen = [f for f in files if f.qualified == table]
        if not chosen:
            raise UnknownScanTarget("table", table, [f.qualified for f in files])
        return chosen
    if layer:
        chosen = [f for f in files if f.layer == layer]
        if not chosen:
            raise UnknownScanTarget("layer", layer, layers_of(files))
        return chosen
    return [f for f in files if f.layer in DEFAULT_LAYERS]
