"""The one error type of the domain layer: an action that cannot be carried out.

Operations (and the pure core's input checks) raise a ``DomainError`` with a fitting
HTTP status, a short machine ``code`` and a ``message`` a person can act on; the edge
translates it once (``errors.py``): a JSON error under ``/api/``, an error page
elsewhere. A view that wants another answer (a flash and a redirect, a form re-shown)
catches it itself. Plain Python, so the pure packages may raise it too.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, status: int | None = None, code: str | None = None,
                 message: str = "", *, field: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status or type(self).status
        self.code = code or type(self).code
        self.message = message
        self.field = field                 # the input field at fault, when one is
        self.headers = dict(headers or {})  # e.g. Retry-After


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, message: str):
        super().__init__(message=message)
