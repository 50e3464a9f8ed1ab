"""The questions and the results.

Every step posts the whole form: the answers so far travel in hidden fields.
The last step posts to the results URL, which scores the answers again from
scratch. Results are rendered from the POST and never stored.
"""

from __future__ import annotations

import re

from flask import abort, g, make_response, render_template, request

from ..domain.questionnaire import Questionnaire
from ..domain.referrals import select_referrals
from ..domain.scoring import assess
from ..i18n import N_, gettext
from . import content, current_portal, link, localized_blueprint, questionnaire_or_404
from .country import chosen_country, country_choices
from .forms import (
    Step,
    Submission,
    missing_count,
    parse_submission,
    shortfall_text,
    step_errors,
    steps_for,
)
from .plan import chosen_plan, plan_ideas
from .security import TokenState, check_origin, check_token, make_token

bp = localized_blueprint("selfcheck", __name__)


def _render_step(
    questionnaire: Questionnaire,
    step: Step,
    answers: dict[str, str],
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status: int = 200,
    country: str | None = None,
):
    steps = steps_for(questionnaire)
    # The country travels with the answers once chosen; step 1 offers the choice.
    chosen = chosen_country(country) if country or step.number == 1 else None
    last = step.number == len(steps)
    endpoint = "selfcheck.results" if last else "selfcheck.questions"
    g.no_store = True
    shortfall = (
        missing_count(questionnaire, step, {k: float(v) for k, v in answers.items()})
        if errors
        else 0
    )
    return (
        render_template(
            "selfcheck/step.html",
            shortfall=shortfall_text(shortfall) if shortfall else None,
            q=questionnaire,
            step=step,
            step_count=len(steps),
            answers=answers,
            errors=errors or {},
            notice=notice,
            token=make_token(questionnaire.id),
            action=link(endpoint, questionnaire_id=questionnaire.id),
            switch_endpoint="selfcheck.questions",
            country=chosen,
            countries=country_choices(),
        ),
        status,
    )


def _read_post(questionnaire: Questionnaire) -> tuple[Submission, TokenState]:
    check_origin()
    submission = parse_submission(questionnaire, request.form)
    state = check_token(submission.meta.get("token"), questionnaire.id)
    return submission, state


_STEP = re.compile(r"[0-9]{1,3}")


def _step_number(submission: Submission, count: int) -> int | None:
    raw = submission.meta.get("step")
    if raw is None:
        return None
    # ASCII digits only, and few of them: str.isdigit() accepts "²", and int() refuses
    # more than 4,300 digits, so neither may reach int().
    if not _STEP.fullmatch(raw) or not 1 <= int(raw) <= count:
        abort(400, gettext("The form named a step that does not exist."))
    return int(raw)


EXPIRED = N_(
    "This page was open for a long time, so we could not accept it. "
    "Your answers are kept: please check them and continue."
)


def _errors(questionnaire: Questionnaire, step: Step, submission: Submission) -> dict[str, str]:
    return step_errors(questionnaire, step, submission.answers)


def _advance(questionnaire: Questionnaire, final: bool):
    """Handle one post from a question page or the results page."""
    submission, state = _read_post(questionnaire)
    steps = steps_for(questionnaire)
    answers = submission.answers_text()
    number = _step_number(submission, len(steps))
    action = submission.meta.get("action", "continue")
    country = submission.meta.get("country")
    # "stay" comes from the language switcher: show the same page in another language.
    if action not in {"continue", "back", "stay"}:
        abort(400, gettext("The form asked for something this page cannot do."))
    if number is not None:
        step = steps[number - 1]
        if state is TokenState.EXPIRED:
            return _render_step(
                questionnaire, step, answers, notice=gettext(EXPIRED), country=country
            )
        if action == "back":
            return _render_step(questionnaire, steps[max(number - 2, 0)], answers, country=country)
        if action == "stay":
            return _render_step(questionnaire, step, answers, country=country)
        errors = _errors(questionnaire, step, submission)
        if errors:
            return _render_step(questionnaire, step, answers, errors=errors, country=country)
        if number < len(steps) and not final:
            return _render_step(questionnaire, steps[number], answers, country=country)
    elif not final:
        abort(400, gettext("The form did not say which step it came from."))
    elif state is TokenState.EXPIRED:
        return _render_step(
            questionnaire, steps[-1], answers, notice=gettext(EXPIRED), country=country
        )
    elif action == "back":
        # "Change my answers" on the results page: the last step, every answer kept.
        return _render_step(questionnaire, steps[-1], answers, country=country)
    # Results: every step must be answered enough to score; else the first gap, with errors.
    for step in steps:
        errors = _errors(questionnaire, step, submission)
        if errors:
            return _render_step(questionnaire, step, answers, errors=errors, country=country)
    return _render_results(questionnaire, submission)


def portal_resources() -> tuple:
    """The embedding portal's own resources (its EAP line), shown first; none otherwise."""
    portal = current_portal()
    return portal.resources if portal else ()


def read_complete_post(questionnaire: Questionnaire) -> Submission:
    """The post behind a download (summary PDF, FHIR): checked, with every question answered.

    An expired token shows the last step again with every answer kept, as the
    results page does, instead of the download.
    """
    submission, state = _read_post(questionnaire)
    if state is TokenState.EXPIRED:
        steps = steps_for(questionnaire)
        page = _render_step(
            questionnaire,
            steps[-1],
            submission.answers_text(),
            notice=gettext(EXPIRED),
            country=submission.meta.get("country"),
        )
        abort(make_response(page))
    if any(_errors(questionnaire, step, submission) for step in steps_for(questionnaire)):
        abort(400, gettext("The summary needs enough answers to score every part."))
    return submission


def _render_results(questionnaire: Questionnaire, submission: Submission):
    country = chosen_country(submission.meta.get("country"))
    assessment = assess(questionnaire, submission.answers)
    referrals = select_referrals(content().referrals, assessment, country, portal_resources())
    plan = chosen_plan(referrals, submission.plan)
    g.no_store = True
    return render_template(
        "selfcheck/results.html",
        plan_ideas=plan_ideas(referrals),
        plan_keys={idea.key for idea in plan},
        answered=len(submission.answers),
        q=questionnaire,
        assessment=assessment,
        referrals=referrals,
        answers=submission.answers_text(),
        country=country,
        countries=country_choices(),
        token=make_token(questionnaire.id),
        switch_endpoint="selfcheck.results",
        completed=True,
    )


@bp.get("/check/<questionnaire_id>/questions")
def questions(questionnaire_id: str):
    questionnaire = questionnaire_or_404(questionnaire_id)
    return _render_step(questionnaire, steps_for(questionnaire)[0], {})


@bp.post("/check/<questionnaire_id>/questions")
def questions_post(questionnaire_id: str):
    return _advance(questionnaire_or_404(questionnaire_id), final=False)


@bp.post("/check/<questionnaire_id>/results")
def results(questionnaire_id: str):
    return _advance(questionnaire_or_404(questionnaire_id), final=True)


@bp.get("/check/<questionnaire_id>/results")
def results_again(questionnaire_id: str):
    """The results' address loaded again, as Back from a linked page does: nothing is
    stored, so it starts the check; with script, app.js then shows the results as the
    person left them, from the tab's own history (README, "Back and forward")."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    return _render_step(questionnaire, steps_for(questionnaire)[0], {})
