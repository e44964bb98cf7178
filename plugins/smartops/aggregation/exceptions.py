"""One exception class per aggregation failure, each message naming the object, the rule and the fix."""

from __future__ import annotations

from datetime import date


class AggregationError(RuntimeError):
    """Base class: an aggregation model could not be published."""


class ModelBuildError(AggregationError):
    """A model's SQL failed in the warehouse; nothing was published."""

    def __init__(self, model: str, sql_path: str, error: str) -> None:
        self.model = model
        super().__init__(
            f"model={model}: building from {sql_path} failed, the previous table is unchanged: {error}. "
            "Fix the SQL (or the dependent object named above) and re-run the task; re-running is safe."
        )


class WarehouseUnreachable(AggregationError):
    """The warehouse could not be reached or a lock was not granted in time (retryable)."""

    def __init__(self, model: str, warehouse: str, error: str) -> None:
        self.model = model
        super().__init__(
            f"model={model}: warehouse {warehouse} is unreachable or busy: {error}. Check that PostgreSQL "
            "is up and the connection level2_warehouse (host, port, credentials); the task retries by itself."
        )
