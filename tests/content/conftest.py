"""The ``tree`` fixture: a tiny valid content tree (``tests.helpers.Tree``) to break."""

import pytest

from tests.helpers import Tree


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Tree:
    monkeypatch.chdir(tmp_path)  # problems print paths relative to the working folder
    return Tree(tmp_path / "content")
