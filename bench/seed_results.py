"""Fill a database with realistic results for the trainers' side: cohorts of learners with
graded self-paced attempts, and a confidence workshop run for the first cohort.

Used by ``bench/exports.py`` (100,000 answers, 2,000 attempts) and for looking at the
analysis pages with more than a test's handful of learners. Answers are drawn per learner
from an ability, so the item statistics have something to find, and graded by the real
scoring module; rows go in with bulk INSERTs, so 100,000 answers take seconds.

    .venv/bin/python bench/seed_results.py --database sqlite:////tmp/demo.db --learners 60
"""

from __future__ import annotations

import argparse
import random
import sys
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from attract.accounts import create_user
from attract.cohorts.models import Cohort, CohortMember
from attract.current import library
from attract.extensions import db
from attract.models import Attempt, AttemptAnswer, User
from attract.scoring.registry import answer_key, grade_answer
from attract.workshops import scoreboard
from attract.workshops.models import LiveAnswer, Participant, Workshop
from attract.workshops.operations import create as create_workshop

COURSE = "attraction-not-interruption"
NAMES = ("Ada", "Bilal", "Chen", "Dara", "Eve", "Femi", "Gia", "Hugo", "Iris", "Jonas",
         "Kemi", "Lars", "Mina", "Nico", "Oona", "Pavel", "Quinn", "Rosa", "Sami", "Tove")


def _wrong(question, rng: random.Random):
    """A plausible wrong answer of the question's type."""
    kind = question["type"]
    key = answer_key(question)
    if kind == "verdict":
        return "attraction" if key == "interruption" else "interruption"
    if kind == "choice":
        ids = [o["id"] for o in question["options"]]
        if question.get("multiple"):
            return rng.sample(ids, rng.randint(1, len(ids)))
        return rng.choice([i for i in ids if i != key] or ids)
    if kind == "rating":
        return max(1, min(5, key + rng.choice((-3, -2, 2, 3))))
    if kind == "rank":
        order = list(key)
        rng.shuffle(order)
        return order
    if kind == "spot":
        ids = [s["id"] for s in question["segments"]]
        return rng.sample(ids, rng.randint(1, len(ids)))
    return "Please like my page and share it with everyone!!"


def _answer(question, ability: float, rng: random.Random):
    right = rng.random() < ability * (1.0 - 0.25 * (zlib.crc32(question["id"].encode()) % 3))
    if not right:
        return _wrong(question, rng)
    if question["type"] == "rewrite":
        return question.get("sample") or "Hi, I enjoyed your talk. What made you pick it?"
    return answer_key(question)


def seed(app, *, learners: int, attempts_per_learner: int = 1, cohorts: int = 2,
         live: int = 30, seed_value: int = 7, quizzes: list[str] | None = None) -> dict:
    """Make the data; returns {"trainer": email, "cohorts": [ids], "workshop": id, ...}."""
    rng = random.Random(seed_value)
    with app.app_context():
        lib = library()
        course = lib.courses[COURSE]
        slugs = quizzes or [i.slug for i in course.items if i.kind == "quiz"]
        trainer = create_user("trainer@example.com", "correct horse battery", "Tess Trainer",
                              "trainer")
        now = datetime.now(UTC)
        cohort_ids = []
        for number in range(cohorts):
            cohort = Cohort(owner_id=trainer.id, name=f"Cohort {number + 1}",
                            course_slug=COURSE, invite_token=f"bench-invite-{number}")
            db.session.add(cohort)
            db.session.commit()
            cohort_ids.append(cohort.id)
        users = [{"email": f"learner{i}@example.com", "name": f"{NAMES[i % 20]} {i}",
                  "password_hash": "x", "role": "learner", "created_at": now}
                 for i in range(learners)]
        db.session.execute(insert(User), users)
        user_ids = list(db.session.scalars(
            select(User.id).where(User.role == "learner").order_by(User.id)))
        db.session.execute(insert(CohortMember), [
            {"cohort_id": cohort_ids[i % cohorts], "user_id": uid, "joined_at": now}
            for i, uid in enumerate(user_ids)])
        abilities = {uid: rng.uniform(0.35, 0.95) for uid in user_ids}
        attempt_id = db.session.scalar(select(db.func.max(Attempt.id))) or 0
        attempts, answers = [], []
        for slug in slugs:
            quiz = lib.quizzes[slug]
            for uid in user_ids:
                for number in range(1, attempts_per_learner + 1):
                    attempt_id += 1
                    started = now - timedelta(days=rng.randint(2, 30), minutes=rng.randint(0, 600))
                    earned = possible = 0.0
                    for question in quiz.questions:
                        answer = _answer(question, abilities[uid] + 0.05 * number, rng)
                        grade = grade_answer(question, answer)
                        points = grade.fraction * question["points"]
                        earned += points
                        possible += question["points"]
                        answers.append({"attempt_id": attempt_id,
                                        "question_id": str(question["id"]), "answer": answer,
                                        "saved_at": started,
                                        "fraction": grade.fraction, "points": points,
                                        "feedback": None, "pending": False})
                    score = round(100 * earned / possible, 1) if possible else 0.0
                    attempts.append({
                        "id": attempt_id, "user_id": uid, "quiz_slug": slug,
                        "quiz_version": quiz.version, "number": number, "status": "submitted",
                        "question_order": [str(q["id"]) for q in quiz.questions],
                        "started_at": started, "submitted_at": started + timedelta(minutes=9),
                        "earned": earned, "possible": possible, "score": score,
                        "passed": score >= quiz.pass_mark, "pending": 0})
        for start in range(0, len(attempts), 5000):
            db.session.execute(insert(Attempt), attempts[start:start + 5000])
        for start in range(0, len(answers), 10000):
            db.session.execute(insert(AttemptAnswer), answers[start:start + 10000])
        db.session.commit()
        workshop_id = _workshop(lib, trainer, cohort_ids[0], user_ids, abilities, live, rng,
                                slugs[0])
        return {"trainer": trainer.email, "cohorts": cohort_ids, "workshop": workshop_id,
                "attempts": len(attempts), "answers": len(answers)}


def _workshop(lib, trainer, cohort_id, user_ids, abilities, players, rng, slug) -> int:
    workshop = create_workshop(trainer, lib, quiz=slug, scoring="confidence",
                               cohort=cohort_id)
    start = datetime.now(UTC) - timedelta(hours=1)
    seats = []
    for i in range(players):
        uid = user_ids[i] if i < len(user_ids) and i % 3 else None  # some without accounts
        seats.append(Participant(workshop_id=workshop.id, nickname=f"Player {i + 1}",
                                 nickname_key=f"player {i + 1}", token_hash=f"bench-{i}",
                                 user_id=uid, joined_at=start))
    db.session.add_all(seats)
    db.session.commit()
    rows = []
    for index, step in enumerate(workshop.steps):
        if step["kind"] != "question":
            continue
        question = next(q for q in lib.quizzes[step["quiz"]].questions
                        if str(q["id"]) == step["question"])
        for seat in seats:
            ability = abilities.get(seat.user_id, 0.6) + 0.1
            answer = _answer(question, ability, rng)
            grade = grade_answer(question, answer)
            confidence = rng.choice(scoreboard.CONFIDENCE_LEVELS)
            points = scoreboard.points("confidence", question["points"], grade.fraction,
                                       confidence=confidence)
            rows.append({"workshop_id": workshop.id, "participant_id": seat.id,
                         "step_index": index, "quiz_slug": step["quiz"],
                         "question_id": str(question["id"]),
                         "quiz_version": lib.quizzes[step["quiz"]].version, "answer": answer,
                         "confidence": confidence, "fraction": grade.fraction,
                         "points": points, "elapsed_ms": rng.randint(2000, 25000),
                         "score": None, "feedback": None, "answered_at": start})
    db.session.execute(insert(LiveAnswer), rows)
    last = len(workshop.steps) - 1
    db.session.execute(db.update(Workshop).where(Workshop.id == workshop.id).values(
        status="ended", step_index=last, phase="revealed", started_at=start,
        ended_at=start + timedelta(minutes=30), opened_at=start))
    db.session.commit()
    return workshop.id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="SQLAlchemy URL (migrated or new)")
    parser.add_argument("--learners", type=int, default=60)
    parser.add_argument("--attempts", type=int, default=1, help="attempts per learner and quiz")
    parser.add_argument("--live", type=int, default=30, help="players in the workshop")
    args = parser.parse_args()
    from attract import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database, "SECRET_KEY": "seed-only",
                      "ARGON2_PROFILE": "CHEAPEST"})
    with app.app_context():
        db.create_all()
    print(seed(app, learners=args.learners, attempts_per_learner=args.attempts,
               live=args.live))
    return 0


if __name__ == "__main__":
    sys.exit(main())
