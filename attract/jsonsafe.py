"""JSON bodies that parse but cannot be used: nested thousands deep, or holding half a
character. Python's parser raises RecursionError (not ValueError) on the first, so
``get_json(silent=True)`` lets it through as a 500; the second (``"\\ud800"``) parses to a
string that cannot be encoded, hashed, stored in PostgreSQL or shown. ``problem`` says
what is wrong with a parsed body; ``parse`` is the request's JSON or ``BadJson``.
"""

from __future__ import annotations

import re

MAX_DEPTH = 32  # no call needs more than 3 levels
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadJson(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _walk(value):
    """Every value inside ``value`` with its depth, without recursion."""
    stack = [(value, 0)]
    while stack:
        item, level = stack.pop()
        yield item, level
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
            stack.extend((k, level + 1) for k in item)
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)


def problem(body: object) -> BadJson | None:
    for item, level in _walk(body):
        if level > MAX_DEPTH:
            return BadJson("invalid_json",
                           f"The request body is nested more than {MAX_DEPTH} levels deep.")
        if isinstance(item, str) and _SURROGATE.search(item):
            return BadJson("invalid_text",
                           "The request body contains a \\u escape that is not a character "
                           "(a lone UTF-16 surrogate, such as \\ud800); send real text.")
    return None


def parse(request) -> object | None:
    """The request's parsed JSON (None when it is not JSON); ``BadJson`` when it is
    nested too deep or holds a lone surrogate."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise BadJson("invalid_json", f"The request body is nested more than {MAX_DEPTH} "
                                      "levels deep.") from None
    found = problem(body) if body is not None else None
    if found:
        raise found
    return body
