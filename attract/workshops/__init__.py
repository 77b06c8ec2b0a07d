"""Live workshops: a trainer runs a room from a projector, participants play on phones.

- ``models``: Workshop, Participant, LiveAnswer; the database keeps the rules (one
  answer per participant and step, one nickname per room, one live room per code).
- ``state``: the pure transition table (which control action is allowed when).
- ``scoreboard``: pure points rules, ranking and answer distributions.
- ``nicknames``: pure nickname checks and generated names.
- ``operations``: finding, creating and driving rooms (each control action a conditional
  UPDATE that bumps the room's ``version``); ``joining``: join, resume, remove;
  ``answering``: grade and score an answer on arrival.
- ``room``: the room as the JSON state, a participant's own view, a trainer's results.
- ``stream``: Server-Sent Events and the one change watcher per process.
"""
