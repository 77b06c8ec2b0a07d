"""A short bench/faults.py: a room of 30 answers through a killed worker and a restarted
server; nothing acknowledged is lost, nothing counted twice, the room carries on."""

import sys

import pytest

from attract.config import REPO_ROOT
from tests.helpers import TEST_DATABASE_URL

sys.path.insert(0, str(REPO_ROOT / "bench"))

faults = pytest.importorskip("faults", reason="bench/faults.py")


@pytest.mark.skipif(sys.platform != "linux", reason="finds gunicorn's workers in /proc")
def test_nothing_acknowledged_is_lost_through_faults():
    rows = faults.run(30, TEST_DATABASE_URL or None, log=lambda _: None)
    assert [row["fault"] for row in rows][:2] == list(faults.FAULTS)
    for row in rows:
        assert row["lost"] == 0 and row["duplicated"] == 0, row
        assert row["stored"] == row["sent"] == 30 and row["unanswered"] == 0, row
    assert faults.healthy(rows)
