"""Warehouse access: migrations and connections."""
