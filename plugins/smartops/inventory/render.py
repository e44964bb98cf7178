"""Render a proposal as inventory YAML to paste under `tables:`, and health as one line per entry."""

from __future__ import annotations

import yaml

from smartops.inventory.model import EntryHealth, Proposal


def proposal_yaml(proposal: Proposal) -> str:
    """The entry as a one-item YAML list (`- name: …`); reasons as trailing comments, warnings under the name.

    Values are dumped by PyYAML (quoting whatever needs it); comments never change what the YAML parses to.
    """
    text = yaml.safe_dump([proposal.entry], sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=10**6)
    reasons = proposal.reasons
    lines = []
    for line in text.splitlines():
        field = line.removeprefix("- ").strip().split(":", 1)[0]
        lines.append(f"{line}  # {reasons[field]}" if field in reasons else line)
        if line.startswith("- "):
            lines += [f"  # WARNING {w.kind.value}: {w.message}" for w in proposal.warnings]
    return "\n".join(lines) + "\n"


def health_line(health: EntryHealth) -> str:
    """`RED   gl_voucher_line  cursor_indexed: …; key_unique: …` — the status and every non-green reason."""
    problems = "; ".join(f"{f.check.value} ({f.category.value}): {f.reason}" for f in health.problems)
    return f"{health.status.value.upper():<5}  {health.table}  {problems or 'ok'}"
