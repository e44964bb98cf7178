# The production image: Airflow's official slim image plus the project's runtime dependencies only
# (no test, lint, benchmark or embedded-PostgreSQL packages: those are the developer set).
FROM apache/airflow:slim-3.3.2-python3.11
COPY requirements.txt constraints.txt /opt/smartops/
RUN pip install --no-cache-dir -r /opt/smartops/requirements.txt -c /opt/smartops/constraints.txt \
 && pip check
COPY --chown=airflow:root dags /opt/airflow/dags
COPY --chown=airflow:root plugins /opt/airflow/plugins
COPY --chown=airflow:root include /opt/airflow/include
ENV PYTHONPATH=/opt/airflow/plugins
