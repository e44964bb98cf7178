"""Declarative config (YAML under include/config) parsed into typed, frozen models."""
