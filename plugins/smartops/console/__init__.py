"""The ops console (运营中心): the loop's state inside the Airflow UI, behind Airflow's own login.

    plugin.py    the AirflowPlugin: FastAPI app at /smartops and the 运营中心 / Operations nav entry
    app.py       the FastAPI app (pages + JSON API) the API server mounts
    security.py  who may read and who may triage, through Airflow's auth dependencies; CSRF tokens

Absolute links to its pages (chat, mail) come from smartops.config.alerting.AlertingConfig.console_url.
Importing this package imports nothing heavy: the plugin builds the app on the first request.
"""
