# The project's Airflow image: the official one plus our pinned dependencies.
FROM apache/airflow:3.3.2-python3.11
COPY requirements.txt constraints.txt /opt/smartops/
RUN pip install --no-cache-dir -r /opt/smartops/requirements.txt -c /opt/smartops/constraints.txt
COPY --chown=airflow:root dags /opt/airflow/dags
COPY --chown=airflow:root plugins /opt/airflow/plugins
COPY --chown=airflow:root include /opt/airflow/include
ENV PYTHONPATH=/opt/airflow/plugins
