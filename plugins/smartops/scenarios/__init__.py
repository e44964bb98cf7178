"""Scenario application (场景应用): the ads marts, their gated atomic refresh and impact analysis.

    load_scenarios()                         include/config/scenarios.yaml -> ScenarioRegistry
    refresh_scenario(scenario, warehouse=, business_date=, run_id=)   gate, build, check, publish
    affected_scenarios("ods.ar_invoice")     the marts downstream of a table
"""
