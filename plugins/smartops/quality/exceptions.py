"""One exception per way a quality scan or gate can fail; messages name object, rule and fix."""

from __future__ import annotations

from smartops.errors import ConfigError, SmartopsError
from smartops.quality.model import CheckResult
from smartops.vocabulary import Category


class QualityError(SmartopsError):
    """Base class of the quality errors: the data or a check file is wrong (retrying cannot help)."""

    category = Category.QUALITY


class ScanVerdict(QualityError):
    """The scan's verdict: its checks were each raised as their own backlog item before it was raised."""

    alerted = True


class UnknownScanTarget(ConfigError):
    """A layer or table was asked for that has no check file."""

    def __init__(self, kind: str, value: str, valid: list[str]) -> None:
        super().__init__(
            f"{kind}={value!r} has no SodaCL check file under include/soda/<layer>/<table>.yml; "
            f"valid {kind}s: {', '.join(valid) or '(none)'}. Pick one of those or add the check file."
        )


class ScanErrored(ScanVerdict):
    """Soda could not run some checks (bad check file, SQL error, connection); stored as `error`."""

    def __init__(self, errors: list[CheckResult]) -> None:
        files = sorted({e.check_file or e.table_name for e in errors})
        super().__init__(
            f"{len(errors)} check(s) could not run (outcome=error) in: {', '.join(files)}. Rule: an error is "
            "never a pass. Fix: read the 'ERROR' lines above (YAML syntax, unknown column, SQL error), "
            "correct the check file or the table, then re-run quality_scan for that table."
        )


class BlockingChecksFailed(ScanVerdict):
    """`fail` outcomes on tables whose severity blocks (include/soda/policy.yaml `blocking`)."""

    def __init__(self, failures: list[CheckResult]) -> None:
        listed = "; ".join(f"{f.table_name} ({f.severity.value}): {f.check_name}" for f in failures)
        super().__init__(
            f"{len(failures)} fail-level check(s) failed on blocking tables: {listed}. The results are stored "
            "in ops.quality_result. Fix the data at its source (Level-1 for ods, the model for dwd/dws), then "
            "re-run quality_scan for the table; the quality gate refuses these tables until then."
        )


class InvalidGateRequest(ConfigError):
    """check_gate was called with a table name that is not `<layer>.<table>`."""

    def __init__(self, table: str) -> None:
        super().__init__(
            f"table={table!r} is not a qualified warehouse table; the gate takes '<layer>.<table>' "
            "names such as 'dws.gl_balance' or 'ods.expense_claim'."
        )
