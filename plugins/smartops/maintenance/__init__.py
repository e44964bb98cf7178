"""Retention: Airflow's metadata (`airflow db clean`) and the ops history pruned past retention.yaml, audited."""
