"""Render contracts for consumers: one Markdown page and one JSON document per mart, and an index page."""

from __future__ import annotations

import json

from smartops.contracts.model import CHANGE_POLICY, REGENERATE, Contract


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def contract_json(contract: Contract) -> str:
    """The contract as JSON (what the console serves), keys in contract order."""
    return json.dumps(contract.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def contract_markdown(contract: Contract) -> str:
    """The contract as a Markdown page: header, grain, columns, rules, quality gate, lineage, change policy."""
    c = contract
    lines = [
        f"# {c.table} — {c.title_zh} {c.title_en}",
        "",
        f"Contract version **{c.version}** · owner **{c.owner}** · published by **{c.deadline} {c.timezone}** "
        f"every day (stale after {c.freshness_sla}) · scenario `{c.scenario}`",
        "",
        c.description,
        "",
        f"> Generated from include/config/scenarios.yaml and include/soda/ads/{c.name}.yml by `{REGENERATE}`; "
        "do not edit by hand.",
        "",
        "## Grain",
        "",
        f"One row per {' × '.join(f'`{g}`' for g in c.grain)}.",
        "",
        "## Columns",
        "",
        "| # | column | type |",
        "| --- | --- | --- |",
        *[f"| {i} | `{col.name}` | {col.type} |" for i, col in enumerate(c.columns, 1)],
        "",
        f"Columns hash `{c.columns_hash}` (names, types and order; changes only with a new version).",
        "",
        "## Rules a consumer must know",
        "",
        *([f"- {rule}" for rule in c.rules] or ["- none beyond the grain and the columns"]),
        "",
        "## Quality gate",
        "",
        "The mart is refreshed for a business date only when the current build of every input below passed its "
        "fail-level quality checks; otherwise the refresh is skipped and the previous publish stays.",
        "",
        "| input | checks |",
        "| --- | --- |",
        *[f"| `{g.table}` | {_cell('; '.join(g.checks)) or 'no checks'}"
          f"{f' ({g.check_file})' if g.check_file else ''} |" for g in c.gate],
        "",
        "The built mart is then checked before it is published; any failure stops the publish:",
        "",
        "| check | rule |",
        "| --- | --- |",
        *[f"| {_cell(check.name)} | {_cell(check.rule)} |" for check in c.checks],
        "",
        "## Lineage",
        "",
        f"Reads {', '.join(f'`{t}`' for t in c.inputs)}; built and published by the `scenario_refresh` DAG "
        f"(task `{c.scenario}`).",
        "",
        "## Change policy",
        "",
        *[f"- {rule}" for rule in c.change_policy],
    ]
    return "\n".join(lines) + "\n"


def index_markdown(contracts: list[Contract]) -> str:
    """docs/contracts/README.md: every mart's contract at a glance, the change policy, how to regenerate."""
    lines = [
        "# Mart contracts",
        "",
        "What the BI consumers of the `ads` marts may rely on: one contract per mart, as Markdown for people and "
        "JSON for tools (the ops console serves the JSON).",
        "",
        "| mart | scenario | version | owner | published by | grain |",
        "| --- | --- | --- | --- | --- | --- |",
        *[f"| [{c.table}]({c.name}.md) ([json]({c.name}.json)) | {c.title_zh} {c.title_en} | {c.version} | "
          f"{c.owner} | {c.deadline} | {', '.join(c.grain)} |" for c in contracts],
        "",
        "## Change policy",
        "",
        *[f"- {rule}" for rule in CHANGE_POLICY],
        "",
        "## Changing a mart",
        "",
        "1. Change the SQL (include/sql/ads/) and, with it, the table's `columns:` in include/config/scenarios.yaml "
        "(tests/contracts builds every mart and fails when the built columns or types differ).",
        "2. Bump the scenario's `version:` as the policy says, and update its `rules:` when what the numbers mean "
        "changed.",
        f"3. Run `{REGENERATE}`: it rewrites these pages and include/config/contracts.lock.json, and refuses a "
        "change of columns without a new version. Commit the result.",
    ]
    return "\n".join(lines) + "\n"
