-- The quality gate approves builds, not dates: every table's current build, and the build each
-- quality scan checked. A mart may be published only from inputs whose current build passed.

-- The current build of every warehouse table: the latest successful model build (dwd/dws) or
-- committed load (ods), with the business date it was built for.
CREATE VIEW ops.table_build AS
SELECT DISTINCT ON (model) model AS table_name, 'model_run:' || model_run_id AS build_id,
       business_date AS built_for, finished_at AS built_at
FROM ops.model_run WHERE status = 'success'
ORDER BY model, model_run_id DESC;

CREATE VIEW ops.table_load AS
SELECT DISTINCT ON (table_name) 'ods.' || table_name AS table_name, 'sync:' || ledger_id AS build_id,
       business_date AS built_for, finished_at AS built_at
FROM ops.sync_ledger WHERE status IN ('success', 'mismatch')
ORDER BY table_name, ledger_id DESC;

-- Which build of each table a scan checked (read before the scan: a later build is never covered).
CREATE TABLE ops.quality_scan_build (
    scan_id            uuid NOT NULL,
    table_name         text NOT NULL,
    build_id           text NOT NULL,      -- model_run:<id> | sync:<ledger_id> | unbuilt
    PRIMARY KEY (scan_id, table_name)
);
CREATE INDEX quality_scan_build_build ON ops.quality_scan_build (table_name, build_id);

-- Who overrode a safeguard, when and why: publishing without the gate, or rewinding to an older date.
CREATE TABLE ops.manual_override (
    override_id        bigserial PRIMARY KEY,
    kind               text NOT NULL CHECK (kind IN ('skip_gate', 'rewind')),
    dag_id             text NOT NULL,
    run_id             text NOT NULL,
    task_id            text,
    actor              text NOT NULL,
    reason             text NOT NULL CHECK (btrim(reason) <> ''),
    business_date      date,
    detail             text,
    at                 timestamptz NOT NULL DEFAULT now(),
    UNIQUE (dag_id, run_id, kind, task_id)
);
CREATE INDEX manual_override_at ON ops.manual_override (at);

-- The input builds each published mart was built from (what the gate approved).
ALTER TABLE ops.scenario_refresh ADD COLUMN inputs_builds jsonb;
