"""The console's errors: each carries the HTTP status it is answered with and a message naming the fix."""

from __future__ import annotations

from typing import ClassVar

from smartops.errors import SmartopsError


class ConsoleError(SmartopsError):
    """Base class: a console request that cannot be answered; `status_code` is the HTTP answer."""

    status_code: ClassVar[int] = 500


class WarehouseUnavailable(ConsoleError):
    """The warehouse connection is not defined or the database cannot be reached."""

    status_code = 503

    def __init__(self, target: str, cause: BaseException | str) -> None:
        detail = cause if isinstance(cause, str) else f"{type(cause).__name__}: {' '.join(str(cause).split())}"
        super().__init__(
            f"ops console: the warehouse {target} (Airflow connection level2_warehouse) cannot be reached "
            f"({detail}). Check that PostgreSQL is up and the connection's host, port, database and credentials "
            "(AIRFLOW_CONN_LEVEL2_WAREHOUSE or the connection in the UI)."
        )


class NotFound(ConsoleError):
    """The page names something the ops record or the config does not have; the message lists what exists."""

    status_code = 404


class TriageRefused(ConsoleError):
    """The triage change is impossible for the item's state (e.g. already resolved); nothing was changed."""

    status_code = 409
