"""One exception class per scenario-refresh failure; messages name the object, the rule and the fix."""

from __future__ import annotations

from smartops.config.loader import UnknownEntry
from smartops.errors import SmartopsError
from smartops.vocabulary import Category


class ScenarioError(SmartopsError):
    """Base class: a scenario mart could not be refreshed (retrying cannot help)."""

    category = Category.SCENARIO


class UnknownTable(UnknownEntry):
    """Impact analysis was asked about a table no layer knows."""

    def __init__(self, table: str, valid: list[str]) -> None:
        super().__init__(f"table={table!r} is not an ods table of the backflow inventory, a dwd/dws model or an "
                         f"ads mart; give it as layer.table, one of: {', '.join(valid)}")


class MartBuildError(ScenarioError):
    """A mart's SQL failed; nothing was published and the previous mart is unchanged."""

    def __init__(self, scenario: str, table: str, sql_path: str, error: str) -> None:
        self.scenario = scenario
        super().__init__(
            f"scenario={scenario}: building ads.{table} from {sql_path} failed, the published mart is unchanged: "
            f"{error.rstrip('.')}. Fix the SQL (or the input named above) and re-run the task; re-running is safe.")


class InputsChanged(ScenarioError):
    """A newer build of an input landed between the gate's approval and the mart's build (retryable)."""

    retryable = True

    def __init__(self, scenario: str, tables: list[str]) -> None:
        super().__init__(
            f"scenario={scenario}: {', '.join(tables)} got a newer build after the quality gate approved the "
            "previous one; nothing was published. The retry asks the gate about the new build.")


class MartChecksFailed(ScenarioError):
    """The freshly built mart failed its own checks; it was not published."""

    def __init__(self, scenario: str, failures: list[str]) -> None:
        self.scenario = scenario
        self.failures = failures
        super().__init__(
            f"scenario={scenario}: the new mart failed its checks (include/soda/ads/) and was not published; the "
            f"previous mart stays in place: {'; '.join(failures)}. Look at the inputs' rows the check names, "
            "fix the data or the SQL, then re-run the task.")
