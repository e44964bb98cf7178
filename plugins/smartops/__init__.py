"""Level-2 Smart Operations Center: the package behind the DAGs (engine, operators, config)."""
