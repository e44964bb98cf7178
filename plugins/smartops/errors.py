"""The one error taxonomy: every stage's errors derive from SmartopsError.

Each class says whether retrying can help (`retryable`) and what kind of problem it is
(`category`, the backlog category its alert opens). Retry decisions (the stage operator)
and alert classification (the failure callback) read these attributes and nothing else:
no hand-kept lists of exception classes, no imports of other packages' errors to classify.
Connection-level failures are retryable; config, data and validation errors are not.
"""

from __future__ import annotations

from typing import ClassVar

import psycopg

from smartops.vocabulary import Category


class SmartopsError(Exception):
    """Base class of the project's errors: the message names the object, the rule and the fix."""

    category: ClassVar[Category] = Category.PLATFORM
    retryable: ClassVar[bool] = False
    # The stage already raised one alert per problem (e.g. per failed check): the failure callback adds none.
    alerted: ClassVar[bool] = False


class ConfigError(SmartopsError, ValueError):
    """A config file or a run's parameters are invalid; the message names file/entry/field or parameter."""

    category = Category.CONFIG


class WarehouseUnreachable(SmartopsError):
    """A database could not be reached or a lock was not granted in time (retryable)."""

    category = Category.PLATFORM
    retryable = True

    def __init__(self, subject: str, target: str, cause: BaseException | str) -> None:
        self.subject = subject
        detail = cause if isinstance(cause, str) else f"{type(cause).__name__}: {' '.join(str(cause).split())}"
        super().__init__(
            f"{subject}: database {target} is unreachable or busy ({detail}). Check that PostgreSQL is up and the "
            "Airflow connection (level2_warehouse or level1_source: host, port, database, credentials); "
            "the task retries by itself."
        )


def is_retryable(error: BaseException) -> bool:
    """Whether retrying the task can help: a retryable SmartopsError or a connection-level failure."""
    if isinstance(error, SmartopsError):
        return error.retryable
    # Connection refused/lost, lock or statement timeouts, serialization conflicts: transient.
    return isinstance(error, psycopg.OperationalError | ConnectionError | TimeoutError)


def cause_chain(error: BaseException | None) -> list[BaseException]:
    """The error and its causes, outermost first (each once)."""
    chain: list[BaseException] = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


def classify(error: BaseException | None) -> tuple[Category, str]:
    """Return (category, error class name) of the first SmartopsError in the cause chain.

    Anything else is a platform problem named by its root cause.
    """
    chain = cause_chain(error)
    for exc in chain:
        if isinstance(exc, SmartopsError):
            return exc.category, type(exc).__name__
    return Category.PLATFORM, type(chain[-1]).__name__ if chain else "UnknownError"
