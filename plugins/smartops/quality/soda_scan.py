"""Run one SodaCL check file through Soda Core's `Scan` API and turn its checks into CheckResults.

The data source is built at run time from a libpq conninfo (from the Airflow connection), held
in memory only: no credentials in files. Soda's usage telemetry is switched off first.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import TYPE_CHECKING, Any

import yaml
from psycopg.conninfo import conninfo_to_dict

from smartops.config.catalog import catalog
from smartops.errors import WarehouseUnreachable
from smartops.masking import mask_rows
from smartops.quality.model import SCAN_CHECK, CheckFile, CheckResult, Outcome
from smartops.vocabulary import Severity
from smartops.warehouse.connections import describe, with_options

if TYPE_CHECKING:
    from soda.sampler.sample_context import SampleContext
    from soda.sampler.sample_ref import SampleRef

log = logging.getLogger(__name__)

DATA_SOURCE = "level2_warehouse"
SAMPLE_ROWS = 5
_TELEMETRY_KEY = "send_anonymous_usage_stats"
_OPERATORS = {"greaterThan": ">", "greaterThanOrEqual": ">=", "lessThan": "<", "lessThanOrEqual": "<="}
_VARIABLE = re.compile(r"\$\{\s*(\w+)\s*\}")


def disable_soda_telemetry() -> None:
    """Switch Soda's anonymous usage telemetry off; call before `soda.scan` is first imported.

    Soda Core 3.5 has no environment switch: `SodaTelemetry`, created when `soda.scan` is imported,
    reads `send_anonymous_usage_stats` from Soda's config (`~/.soda/config.yml`, default true,
    see soda/common/config_helper.py). Set it false for this process and persist it for others.
    """
    from soda.common.config_helper import ConfigHelper

    helper = ConfigHelper.get_instance()
    if helper.config.get(_TELEMETRY_KEY) is False:
        return
    helper.config[_TELEMETRY_KEY] = False
    try:
        helper.upsert_config_file(helper.config)
    except OSError as exc:
        log.warning("Soda telemetry is off for this process; could not persist it in %s: %s",
                    helper.config_path, exc)


def isolate_soda_environment() -> None:
    """Keep Soda from reading a `.env` file into this process's environment; call before `Scan()`.

    Soda Core 3.5's first `Scan()` creates its `EnvHelper`, which calls `load_dotenv(override=True)`:
    the nearest `.env` up from Soda's install (the repository's, which compose users create) would
    overwrite the task's `AIRFLOW_CONN_*` for the rest of the process. The helper is created here,
    once, without that lookup; Soda's own settings (its SODA_* variables) still come from the environment.
    """
    from soda.common import env_helper
    from soda.common.logs import Logs

    if getattr(env_helper.EnvHelper, "_EnvHelper__instance", None) is not None:
        return
    reading = env_helper.load_dotenv
    env_helper.load_dotenv = lambda *args, **kwargs: False
    try:
        env_helper.EnvHelper(Logs())
    finally:
        env_helper.load_dotenv = reading


def data_source_yaml(conninfo: str, schema: str) -> str:
    """Return Soda's postgres data source configuration for `conninfo`, scoped to `schema`.

    It names the server only (no credentials): the session itself is opened by
    `_ConninfoDataSource` from the full conninfo, so every libpq parameter reaches it.
    """
    params = conninfo_to_dict(conninfo)
    source: dict[str, Any] = {
        "type": "postgres",
        "host": params.get("host") or "localhost",
        "port": int(params.get("port") or 5432),
        "database": params.get("dbname"),
        "schema": schema,
    }
    return yaml.safe_dump({f"data_source {DATA_SOURCE}": {k: v for k, v in source.items() if v is not None}})


def _connect_data_source(scan: Any, conninfo: str, schema: str) -> None:
    """Give the scan its data source, connected with the full conninfo (sslcert, options, … included).

    Soda's own postgres data source passes only host/port/user/password/sslmode to psycopg2 and
    replaces `options` with its search_path; this subclass keeps the user's options and adds it.
    Placed in the scan's data-source cache, it is used instead of Soda building its own.
    """
    import psycopg2
    from soda.data_sources.postgres_data_source import PostgresDataSource

    class ConninfoDataSource(PostgresDataSource):
        def connect(self) -> Any:
            self.connection = psycopg2.connect(with_options(conninfo, f"search_path={schema}"))
            return self.connection

    manager = scan._data_source_manager
    properties = {**manager.data_source_properties_by_name[DATA_SOURCE], "connection_type": "postgres"}
    source = ConninfoDataSource(scan._logs, DATA_SOURCE, properties)
    source.connect()
    manager.data_sources[DATA_SOURCE] = source


@cache
def _sampler_class() -> type:
    """Build the Sampler that keeps the first failing rows of every check, keyed by check name."""
    from soda.sampler.sample_ref import SampleRef
    from soda.sampler.sampler import Sampler

    class KeepingSampler(Sampler):
        def __init__(self) -> None:
            self.samples: dict[str, list[dict[str, Any]]] = {}

        def store_sample(self, sample_context: SampleContext) -> SampleRef:
            sample = sample_context.sample
            columns = [c.name for c in sample.get_schema().columns]
            rows = [dict(zip(columns, row, strict=False)) for row in sample.get_rows()[:SAMPLE_ROWS]]
            self.samples[sample_context.check_name or sample_context.sample_name] = rows
            return SampleRef(name=sample_context.sample_name, schema=sample.get_schema(),
                             total_row_count=sample.get_rows_count(), stored_row_count=len(rows),
                             type=SampleRef.TYPE_NOT_PERSISTED)

    return KeepingSampler


def scan_file(
    check_file: CheckFile,
    *,
    conninfo: str,
    severity: Severity,
    blocking: bool,
    variables: dict[str, str],
) -> list[CheckResult]:
    """Run `check_file` against the warehouse; return one result per check plus the file's `scan` result.

    The `scan` result is `error` (naming the file and quoting Soda's error logs) when the file is
    malformed, a query failed or Soda could not connect; checks Soda could not evaluate are then
    missing from the list, and never counted as passes.
    """
    disable_soda_telemetry()
    isolate_soda_environment()
    from soda.scan import Scan

    scan = Scan()
    scan.set_data_source_name(DATA_SOURCE)
    scan.set_scan_definition_name(f"quality_scan.{check_file.qualified}")
    scan.disable_telemetry()
    scan.add_configuration_yaml_str(data_source_yaml(conninfo, check_file.layer))
    scan.add_variables(variables)
    scan.sampler = sampler = _sampler_class()()
    scan.add_sodacl_yaml_file(str(check_file.path))
    common = {"table_name": check_file.qualified, "severity": severity, "blocking": blocking,
              "check_file": check_file.display_path}
    try:
        _connect_data_source(scan, conninfo, check_file.layer)
    except Exception as exc:
        if _connection_lost(exc):  # the warehouse restarting: the task retries, the gate is not refused
            raise WarehouseUnreachable(f"quality_scan {check_file.qualified}", describe(conninfo), exc) from exc
        message = f"{check_file.display_path}: Soda could not connect to the warehouse: {' '.join(str(exc).split())}"
        return [CheckResult(check_name=SCAN_CHECK, outcome=Outcome.ERROR, message=message, measured_value=0,
                            **common)]
    try:
        scan.execute()
    finally:  # Soda 3.5 leaves the data source connection open, idle in a transaction (holding locks)
        for source in scan._data_source_manager.data_sources.values():
            if source.connection is not None:
                source.connection.close()

    lost = next((e.exception for e in scan.get_error_logs() if _connection_lost(e.exception)), None)
    if lost is not None:  # the connection dropped mid-scan: retryable, never stored as a check `error`
        raise WarehouseUnreachable(f"quality_scan {check_file.qualified}", describe(conninfo), lost) from lost
    checks = scan.get_scan_results().get("checks", [])
    results = [_to_result(check, sampler.samples, variables, common) for check in checks]
    errors = [entry.message.strip() for entry in scan.get_error_logs()]
    if errors:
        quoted = " || ".join(e.splitlines()[0] for e in errors)
        message = f"{check_file.display_path}: Soda could not run {'some' if checks else 'any'} checks: {quoted}"
        results.append(CheckResult(check_name=SCAN_CHECK, outcome=Outcome.ERROR, message=message,
                                   measured_value=len(checks), **common))
    else:
        results.append(CheckResult(check_name=SCAN_CHECK, outcome=Outcome.PASS, measured_value=len(checks),
                                   message=f"{len(checks)} checks evaluated", **common))
    return results


def _connection_lost(error: BaseException | None) -> bool:
    """Whether Soda's error is the warehouse going away (connection refused or dropped), not a check's own."""
    import psycopg2

    return isinstance(error, psycopg2.OperationalError | psycopg2.InterfaceError) and not isinstance(
        error, psycopg2.errors.QueryCanceled | psycopg2.errors.LockNotAvailable)


def _to_result(check: dict[str, Any], samples: dict[str, list[dict[str, Any]]],
               variables: dict[str, str], common: dict[str, Any]) -> CheckResult:
    diagnostics = check.get("diagnostics") or {}
    value = diagnostics.get("value")
    message = None
    if diagnostics.get("measure") == "time":  # freshness: Soda reports milliseconds
        value = None if value is None else round(value / 3_600_000, 4)
        message = f"age {diagnostics.get('freshness')} (value in hours); newest {diagnostics.get('maxColumnTimestamp')}"
    elif "missing_column_names" in diagnostics:  # schema check
        events = {k: diagnostics.get(k) for k in ("missing_column_names", "column_type_mismatches",
                                                  "column_additions", "column_deletions") if diagnostics.get(k)}
        value = sum(len(v) for v in events.values())
        message = "; ".join(f"{k}: {v}" for k, v in events.items()) or None
    sample = samples.get(check["name"])
    return CheckResult(
        check_name=check["name"],
        outcome=Outcome(check["outcome"]),
        column_name=check.get("column"),
        measured_value=float(value) if isinstance(value, int | float) else None,
        threshold=_threshold(check, diagnostics, variables),
        failed_rows_sample=None if sample is None else minimal_sample(sample, check, common["table_name"]),
        message=message,
        **common,
    )


def minimal_sample(rows: list[dict[str, Any]], check: dict[str, Any], qualified: str) -> list[dict[str, Any]]:
    """A failed-row sample as stored: the table's key and the columns the check names, sensitive ones masked.

    The whole Level-1 row (a bank account number, a payee) never reaches ops.quality_result: the key
    finds the row, the checked columns show what was wrong with it.
    """
    keys, sensitive = sample_columns(qualified)
    text = f"{check.get('column') or ''} {check.get('definition') or ''} {check.get('name') or ''}"
    named = {column for row in rows[:1] for column in row if re.search(rf"\b{re.escape(column)}\b", text)}
    keep = [c for c in (rows[0] if rows else {}) if c in keys or c in named]
    return mask_rows(({c: row.get(c) for c in keep} for row in rows), sensitive)


def sample_columns(qualified: str) -> tuple[frozenset[str], frozenset[str]]:
    """The key columns of a warehouse table and the columns masked everywhere (the inventory's sensitive_columns)."""
    config = catalog()
    layer, name = qualified.split(".", 1)
    sensitive = frozenset(c for t in config.inventory.tables for c in t.sensitive_columns)
    if layer == "ods" and name in config.inventory.by_name:
        return frozenset(config.inventory.by_name[name].primary_key), sensitive
    model = config.models.by_name.get(qualified)
    return frozenset(model.key if model else ()), sensitive


def _threshold(check: dict[str, Any], diagnostics: dict[str, Any], variables: dict[str, str]) -> str:
    """Render the check's thresholds, e.g. `fail when > 0; warn when > 5` or `freshness(_loaded_at) < 6h`."""
    parts = []
    for level in ("fail", "warn"):
        bounds = diagnostics.get(level)
        if isinstance(bounds, dict) and bounds:
            parts.append(f"{level} when {_render_bounds(bounds)}")
    if not parts:
        header, config = _definition(check.get("definition") or "")
        for level in ("fail", "warn"):
            rule = config.get(level)
            if isinstance(rule, dict):
                rule = "; ".join(f"{key}: {value}" for key, value in rule.items())
            if rule:
                parts.append(f"{level} {rule}")
        if not parts:
            parts.append("fail when failed rows > 0" if header == "failed rows" else header)
    return _VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), "; ".join(parts))


def _render_bounds(bounds: dict[str, float]) -> str:
    """Render Soda's threshold bounds: {'greaterThan': 0, 'lessThan': 0} -> '<> 0'."""
    if bounds.keys() == {"greaterThan", "lessThan"} and bounds["greaterThan"] == bounds["lessThan"]:
        return f"<> {bounds['greaterThan']:g}"
    return " or ".join(f"{_OPERATORS.get(op, op)} {limit:g}" for op, limit in bounds.items())


def _definition(definition: str) -> tuple[str, dict[str, Any]]:
    """Split a check's SodaCL definition (`checks for t:\n  - header:\n      config`) into header and config."""
    parsed = yaml.safe_load(definition) if definition else None
    entries = next(iter(parsed.values()), None) if isinstance(parsed, dict) else None
    entry = entries[0] if isinstance(entries, list) and entries else entries
    if isinstance(entry, dict) and entry:
        header, config = next(iter(entry.items()))
        return str(header), config if isinstance(config, dict) else {}
    return str(entry or ""), {}
