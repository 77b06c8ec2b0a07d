"""Item analysis: ``/trainer/quizzes/<slug>/analysis`` and ``/trainer/workshops/<id>/analysis``.

The figures come from the same answer rows as the exports (``exports.queries``), folded
by the pure ``analysis.report``; the charts are SVG drawn on the server
(``analysis.charts``), so the page reads on a projector with no script at all.
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from ..analysis import charts, report
from ..cohorts import operations as cohorts
from ..current import library, quiz_or_404
from ..exports.queries import Scope, answer_rows, cohort_names, live_rows, self_paced_rows
from ..extensions import db
from ..models import aware
from ..workshops import operations as workshops
from ..workshops.models import Scoring
from . import bp
from .export_views import _cohort_arg
from .guard import trainer_required


def _first_only() -> bool:
    return request.args.get("attempts") != "all"


def _charts(built: report.Report) -> dict[str, str]:
    drawn = {}
    for index, question in enumerate(built.questions):
        if question.counts and question.question:
            drawn[question.question_id] = charts.bar_chart(
                charts.distribution_bars(question.question, question.counts,
                                        total=question.answers),
                title=f"How learners answered: {question.question.get('prompt', '')}",
                id_prefix=f"q{index}")
    return drawn


@bp.get("/quizzes/<slug>/analysis")
@trainer_required
def quiz_analysis(slug: str):
    quiz = quiz_or_404(slug)
    lib = library()
    cohort = _cohort_arg()
    scope = Scope(current_user, quiz=slug, cohort=cohort)
    built = report.build(answer_rows(scope, lib), lib.question_map([slug]),
                         first_only=_first_only())
    return render_template(
        "trainer/analysis.html", built=built, charts=_charts(built), quiz=quiz,
        cohort=cohort, workshop=None, first_only=_first_only(), calibration_svg=None,
        changes=None, change_svg=None, cohorts=_cohort_list()), 200, {"Cache-Control": "no-store"}


def _cohort_list():
    return list(db.session.scalars(cohorts.visible(current_user)))


@bp.get("/workshops/<int:workshop_id>/analysis")
@trainer_required
def workshop_analysis(workshop_id: int):
    workshop = workshops.owned(workshop_id, current_user)
    lib = library()
    slugs = list(dict.fromkeys(step["quiz"] for step in workshop.played_steps
                               if step["kind"] == "question"))
    questions = lib.question_map(slugs)
    scope = Scope(current_user, workshop=workshop)
    confidence = workshop.scoring == Scoring.CONFIDENCE
    built = report.build(answer_rows(scope, lib), questions, confidence=confidence)
    calibration_svg = (charts.calibration_chart(built.calibration, id_prefix="calibration")
                       if built.calibration else None)
    prompts = {key[1]: q.get("prompt", key[1]) for key, q in questions.items()}
    live = [row for row in live_rows(scope, lib, cohort_names(scope)) if row.user_id is not None]
    changes, change_svg = [], None
    if live:
        learners = frozenset(row.user_id for row in live)
        earlier = [row for row in self_paced_rows(Scope(current_user, learners=learners), lib,
                                                  {})
                   if (row.quiz, row.question_id) in questions]
        changes = report.change(earlier, live, started_at=aware(workshop.started_at),
                                ended_at=aware(workshop.ended_at))
        if changes:
            change_svg = charts.change_chart(
                [(prompts.get(c.question_id, c.question_id), c.before, c.after)
                 for c in changes], id_prefix="change",
                title="Share of the marks before and after the workshop")
    return render_template(
        "trainer/analysis.html", built=built, charts=_charts(built), quiz=None, cohort=None,
        workshop=workshop, first_only=True, calibration_svg=calibration_svg,
        changes=changes, change_svg=change_svg, prompts=prompts,
        cohorts=[]), 200, {"Cache-Control": "no-store"}
