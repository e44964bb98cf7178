"""Who may use the console, through Airflow's own auth dependencies, and CSRF tokens for cookie sessions.

Every route depends on `require_reader`: Airflow's `requires_access_dag("GET")`, which resolves the
user from the UI's `_token` cookie or an `Authorization: Bearer` token (401 without one, 403 for
an invalid one) and asks the configured auth manager whether the user may read DAGs. Triage
depends on `require_triager`: the right to trigger the backlog_triage DAG — the permission the
triage form already needs — and on `require_csrf`.
"""

from __future__ import annotations

from collections.abc import Callable

from airflow.api_fastapi.auth.managers.models.base_user import BaseUser
from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity
from airflow.api_fastapi.core_api.security import GetUserDep, requires_access_dag
from fastapi import HTTPException, Request, status
from itsdangerous import BadSignature, URLSafeTimedSerializer

TRIAGE_DAG_ID = "backlog_triage"
SYNC_DAG_ID = "backflow_sync"
CSRF_HEADER = "X-SmartOps-CSRF"
CSRF_MAX_AGE_SECONDS = 12 * 3600
_CSRF_SALT = "smartops-console-triage"

# Read the console: whoever may list DAGs (FAB: Viewer and up; simple auth manager: VIEWER and up).
require_reader = requires_access_dag("GET")
# Triage: whoever may trigger backlog_triage (FAB: User, Op, Admin; simple auth manager: USER and up).
require_triager = requires_access_dag("POST", DagAccessEntity.RUN, param_dag_id=TRIAGE_DAG_ID)
# Onboard a table (reads Level-1's catalog): whoever may trigger backflow_sync.
require_onboarder = requires_access_dag("POST", DagAccessEntity.RUN, param_dag_id=SYNC_DAG_ID)


def can_triage(request: Request, user: BaseUser) -> bool:
    """Whether `user` passes require_triager (the pages show the triage forms only then)."""
    return _passes(require_triager, request, user)


def can_onboard(request: Request, user: BaseUser) -> bool:
    """Whether `user` passes require_onboarder (the inventory page links the onboarding form only then)."""
    return _passes(require_onboarder, request, user)


def _passes(requirement: Callable[[Request, BaseUser], None], request: Request, user: BaseUser) -> bool:
    try:
        requirement(request, user)
    except HTTPException:
        return False
    return True


def actor_name(user: BaseUser) -> str:
    """The name audited for a triage change: the Airflow user's name, as the triage DAG records it."""
    return user.get_name()


def _serializer() -> URLSafeTimedSerializer:
    """Sign with the JWT secret every API server shares (else [api] secret_key), salted for this one use."""
    from airflow.configuration import conf

    secret = conf.get("api_auth", "jwt_secret", fallback="") or conf.get("api", "secret_key", fallback="")
    if not secret:
        raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR,
                            "ops console: neither [api_auth] jwt_secret nor [api] secret_key is set; set "
                            "AIRFLOW__API_AUTH__JWT_SECRET on the API server so triage can be protected")
    return URLSafeTimedSerializer(secret, salt=_CSRF_SALT)


def csrf_token(user: BaseUser) -> str:
    """A token the pages send back with triage POSTs: signed, bound to the user, valid for 12 hours."""
    return _serializer().dumps(user.get_id())


def require_csrf(request: Request, user: GetUserDep) -> None:
    """Refuse a triage POST that is not JSON, or that rides on the session cookie without the page's token.

    A bearer-token client needs no token: browsers never attach an Authorization header on their own,
    so a forged cross-site request cannot carry one.
    """
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "send the triage request as application/json")
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    token = request.headers.get(CSRF_HEADER, "")
    try:
        owner = _serializer().loads(token, max_age=CSRF_MAX_AGE_SECONDS) if token else None
    except BadSignature:  # also SignatureExpired
        owner = None
    if owner != user.get_id():
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            f"CSRF token missing, expired or not yours ({CSRF_HEADER} header): reload the page "
                            "and try again")
