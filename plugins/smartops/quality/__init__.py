"""Data quality: SodaCL checks per warehouse table, stored results and the quality gate."""
