"""Airflow plugin entry: registers the ops console (运营中心) of the smartops package.

Airflow's plugin loader imports the top-level files of plugins/ (the package itself is excluded by
plugins/.airflowignore); it finds the AirflowPlugin class imported here.
"""

from smartops.console.plugin import SmartOpsConsolePlugin

__all__ = ["SmartOpsConsolePlugin"]
