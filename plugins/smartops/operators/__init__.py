"""Thin Airflow operators over the package's engines."""
