"""The pure core imports neither Flask nor SQLAlchemy (README, "Layout")."""

import subprocess
import sys

import pytest

from attract.config import REPO_ROOT

PURE = ["attract.content", "attract.scoring", "attract.coach", "attract.exceptions",
        "attract.numbers",
        "attract.workshops.state", "attract.workshops.scoreboard", "attract.workshops.nicknames",
        "attract.analysis", "attract.analysis.charts", "attract.analysis.report",
        # exports: the writers are pure; queries.py (the SQL), service.py and cli.py are not
        "attract.exports", "attract.exports.rows", "attract.exports.items",
        "attract.exports.xlsx", "attract.exports.jsonout", "attract.exports.xapi"]


@pytest.mark.parametrize("module", PURE)
def test_pure_module_imports_no_web_or_orm(module):
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'flask', 'sqlalchemy', 'flask_sqlalchemy', 'werkzeug', 'flask_login', 'flask_wtf'}); "
        "print(','.join(bad))"
    )
    # The package's __init__ imports Flask, so import the subpackage without running it.
    loader = (
        "import importlib.util, sys, types, pathlib; "
        "root = pathlib.Path('attract'); "
        "pkg = types.ModuleType('attract'); pkg.__path__ = [str(root.resolve())]; "
        "sys.modules['attract'] = pkg; "
    )
    result = subprocess.run([sys.executable, "-c", loader + code], capture_output=True,
                            text=True, check=True, cwd=REPO_ROOT)
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"
