"""The room as people see it: the public state, a participant's own view, a trainer's.

``state`` is what the room's big screen shows and nothing more: the code is enough to
read it. Keys, explanations and the distribution appear only once the trainer reveals;
no rewrite text appears unless the trainer picked it. A removed participant leaves the
counts and the board; their answers stay in the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select

from ..content import Library
from ..extensions import db
from ..models import aware, iso
from ..scoring.registry import answer_key, public_question
from . import scoreboard
from .models import LiveAnswer, Participant, Workshop
from .operations import current_step, live_option_order, question_at
from .state import Phase, Status

LOBBY_NAMES = 100
BOARD_SIZE = 10


def _iso_ms(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    moment = aware(moment)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def question_for(library: Library, step: Mapping) -> Mapping | None:
    return question_at(library, step)[1]


def _active(workshop_id: int):
    return (Participant.workshop_id == workshop_id, Participant.removed_at.is_(None))


def counted_steps(workshop: Workshop):
    """Steps whose points show on the board: those passed, and the current one once
    revealed (an unrevealed answer must not move anyone's rank)."""
    if workshop.status == Status.ENDED or workshop.step_index is None:
        return LiveAnswer.step_index >= 0
    if workshop.phase == Phase.REVEALED:
        return LiveAnswer.step_index <= workshop.step_index
    return LiveAnswer.step_index < workshop.step_index


def standings(workshop: Workshop, counted=None) -> list[scoreboard.Standing]:
    counted = counted_steps(workshop) if counted is None else counted
    totals = db.session.execute(
        select(Participant.id, Participant.nickname,
               func.coalesce(func.sum(LiveAnswer.points), 0))
        .outerjoin(LiveAnswer, (LiveAnswer.participant_id == Participant.id) & counted)
        .where(*_active(workshop.id)).group_by(Participant.id, Participant.nickname)).all()
    return scoreboard.ranked((pid, name, int(total)) for pid, name, total in totals)


def _answers(workshop: Workshop, step_index: int):
    return db.session.execute(
        select(LiveAnswer.answer, LiveAnswer.score, LiveAnswer.fraction)
        .join(Participant, Participant.id == LiveAnswer.participant_id)
        .where(LiveAnswer.workshop_id == workshop.id, LiveAnswer.step_index == step_index,
               Participant.removed_at.is_(None))).all()


def _public(workshop: Workshop, question: Mapping) -> dict:
    return public_question(question, live_option_order(workshop, question))


def _slide(library: Library, step: Mapping, index: int) -> dict:
    lesson = library.lessons.get(step.get("lesson"))
    slides = lesson.slides if lesson else ()
    slide = slides[step["slide"]] if step.get("slide", 0) < len(slides) else None
    return {"index": index, "kind": "slide", "lesson": step.get("lesson"),
            "title": slide.title if slide else step.get("title", ""),
            "html": slide.html if slide else ""}


def _question_step(workshop: Workshop, library: Library, step: Mapping, index: int) -> dict:
    question = question_for(library, step)
    questions = [s for s in workshop.played_steps if s["kind"] == "question"]
    number = sum(1 for s in workshop.played_steps[:index + 1] if s["kind"] == "question")
    view = {"index": index, "kind": "question", "number": number, "questions": len(questions),
            "phase": workshop.phase, "open": workshop.phase == Phase.OPEN,
            "revealed": workshop.phase == Phase.REVEALED,
            "deadline": _iso_ms(workshop.deadline) if workshop.phase == Phase.OPEN else None,
            "time_limit": workshop.time_limit, "reveal": None,
            "question": _public(workshop, question) if question else
            {"id": step.get("question"), "type": "missing",
             "prompt": "This question is no longer in the course content."}}
    if question is not None and workshop.phase == Phase.REVEALED:
        rows = _answers(workshop, index)
        view["reveal"] = {
            "key": answer_key(question),
            "explanation": question.get("explanation", ""),
            "distribution": scoreboard.distribution(view["question"],
                                                    [r.answer for r in rows],
                                                    [r.score for r in rows]),
            "correct": sum(1 for r in rows if scoreboard.correct(r.fraction)),
            "picked": _picked(workshop),
        }
    return view


def _picked(workshop: Workshop) -> dict | None:
    if workshop.picked_answer_id is None:
        return None
    row = db.session.execute(
        select(LiveAnswer.answer, LiveAnswer.score, Participant.nickname)
        .join(Participant, Participant.id == LiveAnswer.participant_id)
        .where(LiveAnswer.id == workshop.picked_answer_id,
               Participant.removed_at.is_(None))).first()
    return {"nickname": row.nickname, "text": row.answer, "score": row.score} if row else None


def _taken_so_far(workshop_id):
    """Answers and joins a room has taken: rows that are only ever added."""
    answers = (select(func.count()).select_from(LiveAnswer)
               .where(LiveAnswer.workshop_id == workshop_id).scalar_subquery())
    joins = (select(func.count()).select_from(Participant)
             .where(Participant.workshop_id == workshop_id).scalar_subquery())
    return answers + joins


def version(workshop: Workshop) -> int:
    """The state's version: the room's own counter (bumped by control actions and
    removals) plus the answers and joins it has taken. Each only grows, so the sum does,
    and any of them moving moves it; answers and joins never write the room's row, so
    300 people joining or answering at once do not queue on one hot row. Read it before
    the rest of the state, so that a state is never labelled newer than what it shows."""
    return workshop.version + db.session.scalar(select(_taken_so_far(workshop.id)))


def versions(workshop_ids) -> dict[int, int]:
    """``version`` for several rooms in one query (the stream watcher's poll)."""
    taken = _taken_so_far(Workshop.id)
    rows = db.session.execute(
        select(Workshop.id, Workshop.version + taken)
        .where(Workshop.id.in_(list(workshop_ids)))).all()
    return {wid: current for wid, current in rows}


def players(workshop: Workshop) -> int:
    """How many are in the room (removed participants are not)."""
    return db.session.scalar(select(func.count()).select_from(Participant)
                             .where(*_active(workshop.id)))


def state(workshop: Workshop, library: Library) -> dict:
    """The room's state (DESIGN.md's shape, plus what the screens need to draw it)."""
    current = version(workshop)
    playing = players(workshop)
    step = current_step(workshop)
    view = None
    answered = 0
    if step is not None:
        index = workshop.step_index
        if step["kind"] == "slide":
            view = _slide(library, step, index)
        else:
            view = _question_step(workshop, library, step, index)
            answered = db.session.scalar(
                select(func.count()).select_from(LiveAnswer)
                .join(Participant, Participant.id == LiveAnswer.participant_id)
                .where(LiveAnswer.workshop_id == workshop.id,
                       LiveAnswer.step_index == index, Participant.removed_at.is_(None)))
    lobby = None
    if workshop.status == Status.LOBBY:
        names = db.session.scalars(select(Participant.nickname).where(*_active(workshop.id))
                                   .order_by(Participant.id.desc()).limit(LOBBY_NAMES)).all()
        lobby = {"nicknames": list(reversed(names))}
    board = None
    if workshop.board or workshop.status == Status.ENDED:
        ranks = standings(workshop)
        board = {"top": [{"rank": s.rank, "nickname": s.nickname, "points": s.points}
                         for s in ranks[:BOARD_SIZE]], "players": len(ranks)}
    return {"status": workshop.status, "version": current, "code": workshop.code,
            "title": workshop.title, "scoring": workshop.scoring, "locked": workshop.locked,
            "participants": playing, "answered": answered,
            "steps": len(workshop.played_steps), "step": view, "lobby": lobby,
            "leaderboard": board}


def me(workshop: Workshop, participant: Participant, library: Library) -> dict:
    """What one participant's phone shows: their answer to the current step, and after
    the reveal whether it was right and what it earned; their points and rank."""
    ranks = standings(workshop)
    mine = next((s for s in ranks if s.participant_id == participant.id), None)
    step = current_step(workshop)
    row = None
    if step is not None and step["kind"] == "question":
        row = db.session.scalars(select(LiveAnswer).where(
            LiveAnswer.participant_id == participant.id,
            LiveAnswer.step_index == workshop.step_index)).first()
    revealed = workshop.phase == Phase.REVEALED
    return {"participant_id": participant.id, "nickname": participant.nickname,
            "points": mine.points if mine else 0, "rank": mine.rank if mine else None,
            "players": len(ranks), "step_index": workshop.step_index,
            "answer": row.answer if row else None, "answered": row is not None,
            "confidence": row.confidence if row else None, "revealed": revealed,
            "correct": scoreboard.correct(row.fraction) if (row and revealed) else None,
            "points_this_question": row.points if (row and revealed) else None,
            "feedback": row.feedback if (row and revealed) else None}


def trainer_room(workshop: Workshop) -> dict:
    """The trainer's private view: everyone in the room, and the current rewrites to pick
    from (never sent to the room's screen)."""
    ranks = {s.participant_id: s for s in standings(workshop)}
    people = db.session.execute(select(Participant.id, Participant.nickname,
                                       Participant.removed_at)
                                .where(Participant.workshop_id == workshop.id)
                                .order_by(Participant.id)).all()
    rewrites = []
    if workshop.step_index is not None:
        rows = db.session.execute(
            select(LiveAnswer.id, LiveAnswer.answer, LiveAnswer.score, Participant.nickname)
            .join(Participant, Participant.id == LiveAnswer.participant_id)
            .where(LiveAnswer.workshop_id == workshop.id,
                   LiveAnswer.step_index == workshop.step_index,
                   LiveAnswer.score.is_not(None), Participant.removed_at.is_(None))
            .order_by(LiveAnswer.score.desc(), LiveAnswer.id)).all()
        rewrites = [{"answer_id": r.id, "nickname": r.nickname, "text": r.answer,
                     "score": r.score,
                     "verdict": "attraction" if r.score >= 50 else "interruption"}
                    for r in rows]
    return {"participants": [{"id": p.id, "nickname": p.nickname,
                              "points": ranks[p.id].points if p.id in ranks else 0,
                              "removed": p.removed_at is not None} for p in people],
            "rewrites": rewrites, "picked_answer_id": workshop.picked_answer_id}


def results(workshop: Workshop, library: Library) -> dict:
    """A room's record for its trainer: everyone's points, and each question's answers."""
    everything = LiveAnswer.step_index >= 0
    ranks = standings(workshop, everything)
    answered = dict(db.session.execute(
        select(LiveAnswer.participant_id, func.count()).where(
            LiveAnswer.workshop_id == workshop.id).group_by(LiveAnswer.participant_id)).all())
    removed = db.session.execute(select(Participant.id, Participant.nickname).where(
        Participant.workshop_id == workshop.id, Participant.removed_at.is_not(None))).all()
    people = [{"id": s.participant_id, "nickname": s.nickname, "points": s.points,
               "rank": s.rank, "answered": answered.get(s.participant_id, 0),
               "removed": False} for s in ranks]
    people += [{"id": pid, "nickname": name, "points": None, "rank": None,
                "answered": answered.get(pid, 0), "removed": True} for pid, name in removed]
    questions = []
    for index, step in enumerate(workshop.played_steps):
        if step["kind"] != "question":
            continue
        question = question_for(library, step)
        rows = _answers(workshop, index)
        public = _public(workshop, question) if question else None
        questions.append({
            "index": index, "quiz": step["quiz"], "question_id": step["question"],
            "prompt": question["prompt"] if question else step.get("title", ""),
            "type": question["type"] if question else "missing",
            "answered": len(rows),
            "correct": sum(1 for r in rows if scoreboard.correct(r.fraction)),
            "distribution": scoreboard.distribution(public, [r.answer for r in rows],
                                                    [r.score for r in rows])
            if public else {}})
    return {"id": workshop.id, "code": workshop.code, "title": workshop.title,
            "status": workshop.status, "scoring": workshop.scoring,
            "started_at": iso(workshop.started_at), "ended_at": iso(workshop.ended_at),
            "participants": people, "questions": questions}


def any_answers(workshop: Workshop) -> bool:
    return db.session.scalar(select(LiveAnswer.id).where(
        LiveAnswer.workshop_id == workshop.id).limit(1)) is not None


__all__ = ["any_answers", "me", "results", "standings", "state", "trainer_room"]
