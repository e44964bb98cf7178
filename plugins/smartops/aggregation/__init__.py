"""Aggregation (数据汇聚): SQL models that turn ods into the dwd unified view and dws aggregates."""
