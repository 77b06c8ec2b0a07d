"""The event stream: the state at once, each change after it, coalesced, then the end."""

import json

import pytest


@pytest.fixture
def fast(app):
    app.config.update(LIVE_POLL_SECONDS=0.02, LIVE_COALESCE_SECONDS=0.0,
                      LIVE_HEARTBEAT_SECONDS=0.3, LIVE_STREAM_SECONDS=10)


def _events(response):
    """Parsed events from a streaming test response, as they come."""
    buffer = ""
    for chunk in response.response:
        buffer += chunk.decode()
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            fields = dict(line.split(": ", 1) for line in block.splitlines()
                          if ": " in line and not line.startswith(":"))
            yield block, fields


def test_stream_sends_the_state_then_every_change_then_ends(fast, client, make_room, live):
    room = make_room()
    response = client.get(f"/api/workshops/{room['code']}/events", buffered=False)
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-cache"
    events = (fields for _, fields in _events(response) if fields.get("event") == "state")
    first = next(events)
    assert json.loads(first["data"])["status"] == "lobby"
    live.join(room, "Ana")
    second = next(events)
    assert int(second["id"]) > int(first["id"])
    assert json.loads(second["data"])["participants"] == 1
    live.control(room, "end")
    last = json.loads(next(events)["data"])
    assert last["status"] == "ended"
    assert next(events, None) is None  # the stream closes after the end
    response.close()


def test_last_event_id_skips_what_the_client_has(fast, client, make_room, live):
    room = make_room()
    version = live.state(room)["version"]
    response = client.get(f"/api/workshops/{room['code']}/events", buffered=False,
                          headers={"Last-Event-ID": str(version)})
    blocks = _events(response)
    block, _ = next(blocks)
    assert block.startswith("retry:")
    block, _ = next(blocks)
    assert block == ": keep-alive"  # nothing new: a heartbeat, not the same state again
    response.close()


def test_a_burst_of_changes_is_coalesced(app, client, make_room, live):
    app.config.update(LIVE_POLL_SECONDS=0.02, LIVE_COALESCE_SECONDS=0.5,
                      LIVE_HEARTBEAT_SECONDS=5, LIVE_STREAM_SECONDS=10)
    room = make_room()
    response = client.get(f"/api/workshops/{room['code']}/events", buffered=False)
    events = (fields for _, fields in _events(response) if fields.get("event") == "state")
    next(events)
    live.join(room, "First")
    next(events)  # the stream now waits 0.5 s before it sends again
    for number in range(20):
        live.join(room, f"P{number}")
    newest = json.loads(next(events)["data"])
    assert newest["participants"] == 21  # one message carries all twenty joins
    response.close()


def test_unknown_code_is_404(client):
    assert client.get("/api/workshops/QQQQQQ/events").status_code == 404
