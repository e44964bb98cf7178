-- Scenario application (场景应用): the refresh log of the ads scenario marts.

-- One row per scenario refresh attempt: published, skipped by the quality gate, or failed.
CREATE TABLE ops.scenario_refresh (
    refresh_id        bigserial PRIMARY KEY,
    run_id            text NOT NULL,
    scenario          text NOT NULL,        -- id in include/config/scenarios.yaml
    business_date     date NOT NULL,
    status            text NOT NULL CHECK (status IN ('published', 'skipped', 'failed')),
    reason            text,                 -- why skipped or failed (gate reasons, check failures, SQL error)
    rows              bigint,               -- rows published over all the scenario's tables
    table_rows        jsonb,                -- {"ads.<table>": rows}
    inputs_freshness  jsonb NOT NULL,       -- {"<layer>.<table>": last successful build/load, ISO timestamp or null}
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz NOT NULL,
    duration_s        double precision NOT NULL
);
CREATE INDEX scenario_refresh_scenario ON ops.scenario_refresh (scenario, started_at DESC);
CREATE INDEX scenario_refresh_run ON ops.scenario_refresh (run_id);

-- The latest attempt of every scenario next to its latest publish: what the BI dashboards show.
CREATE VIEW ops.scenario_latest AS
SELECT a.scenario, a.business_date, a.status, a.reason, a.finished_at AS attempted_at,
       p.business_date AS published_business_date, p.finished_at AS published_at, p.rows AS published_rows
FROM (SELECT DISTINCT ON (scenario) * FROM ops.scenario_refresh ORDER BY scenario, started_at DESC) a
LEFT JOIN (SELECT DISTINCT ON (scenario) * FROM ops.scenario_refresh WHERE status = 'published'
           ORDER BY scenario, started_at DESC) p ON p.scenario = a.scenario;
