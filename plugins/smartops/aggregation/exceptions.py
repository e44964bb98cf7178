"""One exception class per aggregation failure, each message naming the object, the rule and the fix."""

from __future__ import annotations

from smartops.errors import SmartopsError


class AggregationError(SmartopsError):
    """Base class: an aggregation model could not be published."""


class ModelBuildError(AggregationError):
    """A model's SQL failed in the warehouse; nothing was published (retrying cannot help)."""

    def __init__(self, model: str, sql_path: str, error: str) -> None:
        self.model = model
        super().__init__(
            f"model={model}: building from {sql_path} failed, the previous table is unchanged: {error}. "
            "Fix the SQL (or the dependent object named above) and re-run the task; re-running is safe."
        )
