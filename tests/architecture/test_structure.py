"""Guards of the structure: the product never needs the workbench, layers import only downwards, Airflow is
met in named modules only, DAG files stay thin, every task is a StageOperator, the image ships the product only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "plugins" / "smartops"
# The package's layers, lowest first: a module may import its own layer and the ones below it.
LAYERS: list[set[str]] = [
    {"paths", "vocabulary", "errors", "fields", "business_date", "sqlfiles", "masking"},
    {"notify"},
    {"config"},
    {"calendar"},
    {"warehouse", "assets"},
    {"backflow", "aggregation", "pulse", "inventory", "maintenance"},
    {"quality"},
    {"scenarios", "contracts"},
    {"alerting"},
    {"report"},
    {"operators", "console"},
    {"__main__"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
MAX_MODULE_LINES = 500
# What a DAG file may import: Airflow's authoring API and the package's DAG-facing modules.
DAG_IMPORTS = ("__future__", "datetime", "airflow.sdk", "smartops.operators.", "smartops.assets",
               "smartops.config.",
               "smartops.quality.checkfiles", "smartops.notify.language", "smartops.alerting.models",
               "smartops.alerting.triage")
MAX_DAG_CODE_LINES = 50
# Where the product meets Airflow: the stage layer, the console (an AirflowPlugin), the Assets, connection
# lookup, Airflow's notifiers, and the REST client of the watchdog. Everything else is plain Python.
AIRFLOW_MODULES = ("operators/", "console/", "assets.py", "warehouse/connections.py", "notify/notifiers.py",
                   "notify/delivery.py", "alerting/airflow_api.py")
WORKBENCH = ROOT / "workbench"


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _unit(path: Path) -> str:
    """The layer unit of a module: its subpackage, or the top-level module's name."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imported_units(tree: ast.AST) -> set[str]:
    units = set()
    for node in ast.walk(tree):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
        units |= {name.split(".")[1] for name in names if name.startswith("smartops.") and name.count(".") >= 1}
    return units


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_should_never_import_the_workbench_from_the_product():
    product = [*_modules(), *sorted((ROOT / "dags").glob("*.py")), ROOT / "plugins" / "smartops_plugin.py"]
    offenders = [f"{p.relative_to(ROOT)}: {name}" for p in product for name in _imports(p)
                 if name == "workbench" or name.startswith("workbench.")]
    assert not offenders, (f"{offenders}: the product ships without the workbench (demo, embedded server, launcher, "
                           "bench); move what the product needs into plugins/smartops")


def test_should_meet_airflow_only_in_the_named_modules():
    offenders = [str(p.relative_to(PACKAGE)) for p in _modules()
                 if any(name == "airflow" or name.startswith("airflow.") for name in _imports(p))
                 and not str(p.relative_to(PACKAGE)).startswith(AIRFLOW_MODULES)]
    assert not offenders, (f"{offenders} import airflow; the stages are plain Python: meet Airflow in "
                           f"{AIRFLOW_MODULES} (or add a module there on purpose)")


def _image_files() -> list[str]:
    """The repository files the Dockerfile's COPY lines put into the image (tracked files of the copied paths)."""
    import subprocess

    copied = [line.split()[-2] for line in (ROOT / "Dockerfile").read_text().splitlines()
              if line.startswith("COPY") and "requirements" not in line]
    tracked = subprocess.run(["git", "ls-files", *copied], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    assert tracked, f"the Dockerfile copies {copied}, which hold no tracked file"
    return tracked


def test_should_build_the_image_from_the_product_only():
    files = _image_files()
    assert any(f.startswith("plugins/smartops/") for f in files) and any(f.startswith("dags/") for f in files)
    workbench = sorted(f for f in files if f.startswith(("workbench/", "tests/")) or "/demo/" in f or "bench" in f)
    assert not workbench, f"the image would ship workbench or test files: {workbench[:10]}"


def test_should_place_every_package_module_in_a_layer():
    unknown = sorted({_unit(p) for p in _modules()} - set(RANK) - {"__init__"})
    assert not unknown, f"add {unknown} to LAYERS in {Path(__file__).name}: every unit of the package has a layer"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_should_import_only_the_same_or_lower_layers(path):
    unit = _unit(path)
    if unit == "__init__":
        return
    higher = sorted(u for u in _imported_units(ast.parse(path.read_text(encoding="utf-8")))
                    if RANK.get(u, -1) > RANK[unit])
    assert not higher, (f"smartops/{path.relative_to(PACKAGE)} (layer {RANK[unit]}: {unit}) imports the higher "
                        f"layer(s) {higher}; move the code that needs them up, or pass the value in")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_should_keep_modules_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, (f"smartops/{path.relative_to(PACKAGE)} has {lines} lines (> "
                                       f"{MAX_MODULE_LINES}): split it into modules with one job each")


def _dag_files() -> list[Path]:
    return sorted((ROOT / "dags").glob("*.py"))


@pytest.mark.parametrize("path", _dag_files(), ids=lambda p: p.name)
def test_should_keep_dag_files_thin(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = tree.body[1:] if isinstance(tree.body[0], ast.Expr) else tree.body  # the docstring is the doc_md
    code_lines = sum(node.end_lineno - node.lineno + 1 for node in body)
    assert code_lines <= MAX_DAG_CODE_LINES, (
        f"dags/{path.name}: {code_lines} lines of code (> {MAX_DAG_CODE_LINES}); a DAG file holds schedule, params, "
        "docs and wiring — move logic into the package")
    for node in ast.walk(tree):
        assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda), (
            f"dags/{path.name}:{node.lineno}: defines a function or class; put it in smartops.operators")
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                assert name.startswith(DAG_IMPORTS) or name in {p.rstrip(".") for p in DAG_IMPORTS}, (
                    f"dags/{path.name}:{node.lineno}: imports {name}; DAG files import only {DAG_IMPORTS}")


def test_should_run_every_task_through_the_stage_operator(dagbag):
    from smartops.operators.base import StageOperator

    bypassing = sorted(f"{dag.dag_id}.{task.task_id} ({type(task).__name__})"
                       for dag in dagbag.dags.values() for task in dag.tasks if not isinstance(task, StageOperator))
    assert not bypassing, f"tasks not built on smartops.operators.base.StageOperator: {bypassing}"


def test_should_subclass_airflow_operators_only_in_the_stage_layer():
    offenders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    getattr(base, "id", getattr(base, "attr", None)) == "BaseOperator" for base in node.bases):
                offenders.append(f"smartops/{path.relative_to(PACKAGE)}:{node.name}")
    assert offenders == ["smartops/operators/base.py:StageOperator"], (
        f"{offenders}: stages subclass smartops.operators.base.StageOperator, not BaseOperator")
