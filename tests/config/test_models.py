"""The model registry (include/config/models.yaml) and the business-date parameter."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from smartops.business_date import InvalidBusinessDate, resolve_business_date
from smartops.config.catalog import load_models, model_dependencies
from smartops.config.loader import ConfigError
from smartops.config.models import MODELS_PATH

# Table references in model SQL: schema.table not followed by "(" (that would be a function).
_REFERENCE = re.compile(r"\b((?:ods|dwd|dws)\.[a-z_][a-z0-9_]*)\b(?!\s*\()")


def test_should_map_every_model_to_its_direct_inputs():
    deps = model_dependencies()
    assert deps["dws.gl_balance"] == ["dwd.voucher_line"]
    assert deps["dwd.voucher_line"] == ["ods.gl_voucher_line", "ods.gl_voucher", "dwd.org_unit", "dwd.account",
                                        "dwd.status_map", "dwd.reject"]
    assert {"dwd.org_unit", "dwd.account", "dwd.voucher_line", "dwd.expense_claim", "dwd.payment",
            "dwd.ar_invoice", "dwd.ar_receipt", "dwd.bank_transaction", "dwd.budget", "dwd.customer",
            "dwd.bank_account", "dwd.reject", "dws.gl_balance", "dws.bank_cash_flow_daily",
            "dws.expense_monthly", "dws.ar_customer_balance"} <= set(deps)


@pytest.mark.parametrize("model", load_models().models, ids=lambda m: m.name)
def test_should_declare_exactly_the_tables_the_sql_reads(model):
    code = "\n".join(line.split("--")[0] for line in model.sql_path.read_text(encoding="utf-8").splitlines())
    code = re.sub(r"'[^']*'", "''", code)  # table names inside messages are not reads
    assert set(_REFERENCE.findall(code)) == set(model.inputs), (
        f"{model.name}: the inputs in {MODELS_PATH.name} must list exactly the tables {model.sql_path.name} reads")


def test_should_order_every_model_after_its_inputs():
    order = [m.name for m in load_models().ordered]
    for name, inputs in model_dependencies().items():
        assert all(order.index(i) < order.index(name) for i in inputs if i in order), name


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "models.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_should_name_the_entry_and_field_of_an_unknown_input(tmp_path):
    path = _write(tmp_path, "models:\n  - name: dws.gl_balance\n    inputs: [ods.nope]\n"
                            "    key: [org_id]\n    description: x\n")
    with pytest.raises(ConfigError, match=r"entry 'dws.gl_balance' \(#1\), field 'inputs': 'ods.nope' is neither"):
        load_models(path)


def test_should_refuse_models_that_depend_on_each_other_in_a_cycle(tmp_path):
    path = _write(tmp_path, "models:\n"
                            "  - {name: dws.gl_balance, inputs: [dws.expense_monthly], key: [a], description: x}\n"
                            "  - {name: dws.expense_monthly, inputs: [dws.gl_balance], key: [a], description: x}\n")
    with pytest.raises(ConfigError, match="cycle"):
        load_models(path)


def test_should_refuse_a_model_outside_the_dwd_and_dws_layers(tmp_path):
    path = _write(tmp_path, "models:\n  - {name: ads.x, inputs: [], key: [a], description: x}\n")
    with pytest.raises(ConfigError, match=r"entry 'ads.x' \(#1\), field 'name'"):
        load_models(path)


RUN_AFTER = datetime(2026, 11, 28, 17, 30, tzinfo=UTC)  # 2026-11-29 01:30 in Shanghai


def test_should_default_the_business_date_to_the_day_before_the_run_in_shanghai():
    assert resolve_business_date(None, RUN_AFTER) == date(2026, 11, 28)
    assert resolve_business_date("2026-06-30", RUN_AFTER) == date(2026, 6, 30)


@pytest.mark.parametrize("value", ["2026-11-30", "30/06/2026", "yesterday"])
def test_should_refuse_a_malformed_or_future_business_date(value):
    with pytest.raises(InvalidBusinessDate, match=rf"business_date='{value}'.*no later than the run date 2026-11-29"):
        resolve_business_date(value, RUN_AFTER)
