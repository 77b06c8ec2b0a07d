"""``GET /api/openapi.json``: the OpenAPI 3.1 description of the API (``openapi.yaml``).

The suite runs schemathesis against it (tests/test_openapi.py): every call, with
generated bodies and parameters, must answer a documented status with a body of the
documented shape, and never a 5xx.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from . import bp

SPEC = Path(__file__).with_name("openapi.yaml")


@cache
def spec() -> dict:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi():
    return spec()
