"""Per-request context (request id, client IP) that audit events and log lines pick up."""

import contextvars
import logging
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None


_NO_REQUEST = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "prostir_request_context", default=None
)


def current() -> RequestContext:
    """The bound request's context; empty outside a request (commands, tasks)."""
    return _current.get() or _NO_REQUEST


def bind(context: RequestContext) -> contextvars.Token:
    return _current.set(context)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current().request_id or "-"
        return True
