"""Request parsing and auth for the API: every bad input becomes a JSON 4xx."""

from __future__ import annotations

import functools

from flask import g, request

from .. import jsonsafe
from ..accounts import user_for_token
from ..exceptions import DomainError


class ApiError(DomainError):
    """A request the API cannot take as sent (its body, a field, its token), answered
    like every ``DomainError``: ``{"error": code, "message": message}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(status, code, message, headers=headers)


def json_body() -> dict:
    """The request's JSON object, or a 4xx that says what is wrong with it."""
    if not request.get_data(cache=True):
        raise ApiError(400, "missing_body", "Send a JSON object as the request body.")
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type",
                       "Send the body as JSON with the header Content-Type: application/json.")
    try:
        body = jsonsafe.parse(request)
    except jsonsafe.BadJson as bad:
        raise ApiError(400, bad.code, bad.message) from None
    if body is None:
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.")
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "The request body must be a JSON object, "
                                            "e.g. {\"email\": \"...\"}.")
    return body


def text_field(body: dict, name: str, max_length: int = 1000) -> str:
    value = body.get(name)
    if value is None:
        raise ApiError(422, "missing_field", f"The field '{name}' is required.")
    if not isinstance(value, str) or not value.strip():
        raise ApiError(422, "invalid_field", f"The field '{name}' must be non-empty text.")
    if len(value) > max_length:
        raise ApiError(422, "invalid_field",
                       f"The field '{name}' is longer than {max_length} characters.")
    return value


def bearer_user():
    """The user behind ``Authorization: Bearer <token>``, None without the header."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise ApiError(401, "invalid_token",
                       "The API token is not valid. Get one from POST /api/tokens.",
                       {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return user


def token_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.api_user = bearer_user()
        if g.api_user is None:
            raise ApiError(401, "unauthorized",
                           "Send 'Authorization: Bearer <token>'; get a token from "
                           "POST /api/tokens.", {"WWW-Authenticate": "Bearer"})
        return view(*args, **kwargs)
    return wrapper
