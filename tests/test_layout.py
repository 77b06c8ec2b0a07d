"""The layout rule (README, "Layout"): blueprints import domain modules, never each other;
domain modules import no blueprint and never read the request."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from attract.config import REPO_ROOT

PACKAGE = REPO_ROOT / "attract"
BLUEPRINTS = {"api", "auth", "portal", "health", "trainer", "workshop"}
# The web edge: wiring, error translation, request-time helpers (audit adds the client's
# address and route to each security line). Everything else outside
# the blueprints is the domain (state changes and queries) or the pure core.
EDGE = {"__init__", "audit", "cli", "config", "current", "errors", "extensions", "pagecache"}
REQUEST_STATE = {"request", "g", "session"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, text: str | None = None):
    """``(line, module, names)`` for every import in the file, relative ones resolved."""
    package = _module_name(path) if path.name == "__init__.py" \
        else _module_name(path).rpartition(".")[0]
    text = path.read_text(encoding="utf-8") if text is None else text
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names = tuple(alias.name for alias in node.names)
            yield node.lineno, base, names
            for name in names:  # `from . import views` imports attract.<bp>.views
                yield node.lineno, f"{base}.{name}", ()


def _owner(module: str) -> str | None:
    """The top-level part of ``attract`` a module belongs to ("portal", "attempts"...)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "attract" and len(parts) > 1 else None


SOURCES = sorted(PACKAGE.rglob("*.py"))


def _problems(path: Path, text: str | None = None) -> list[str]:
    here = _owner(_module_name(path)) or "__init__"
    problems = []
    for line, module, names in _imports(path, text):
        there = _owner(module)
        if here in BLUEPRINTS and there in BLUEPRINTS and there != here:
            problems.append(f"line {line}: blueprint '{here}' imports blueprint '{there}'")
        if here not in BLUEPRINTS | EDGE:
            if there in BLUEPRINTS:
                problems.append(f"line {line}: '{here}' (domain) imports blueprint '{there}'")
            if module == "flask" and REQUEST_STATE & set(names):
                problems.append(f"line {line}: '{here}' (domain) reads the request: {names}")
    return list(dict.fromkeys(problems))  # `from .x import y` is seen as x and as x.y


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layout_rule(path):
    problems = _problems(path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("where", "source", "expected"), [
    ("api/views.py", "from ..portal.operations import mark_read", "imports blueprint 'portal'"),
    ("api/views.py", "from ..auth import forms", "imports blueprint 'auth'"),
    ("portal/views.py", "from attract.api.util import json_body", "imports blueprint 'api'"),
    ("attempts.py", "from .portal import views", "(domain) imports blueprint 'portal'"),
    ("reading.py", "from flask import current_app, request", "(domain) reads the request"),
])
def test_the_rule_catches(where, source, expected):
    """What the rule is there for is caught (a check that cannot fail checks nothing)."""
    problems = _problems(PACKAGE / where, source)
    assert len(problems) == 1 and expected in problems[0]


def test_the_rule_allows(where="api/views.py"):
    assert _problems(PACKAGE / where, "from ..attempts import submit\nfrom . import bp") == []
