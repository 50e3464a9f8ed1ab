"""The questions and the results.

Every step posts the whole form: the answers so far travel in hidden fields.
The last step posts to the results URL, which scores the answers again from
scratch. Results are rendered from the POST and never stored.
"""

from __future__ import annotations

from flask import abort, g, make_response, render_template

from ..domain.questionnaire import Questionnaire
from ..domain.referrals import select_referrals
from ..domain.scoring import assess
from ..i18n import N_, gettext
from . import content, current_portal, link, localized_blueprint, questionnaire_or_404
from .country import chosen_country, country_choices
from .forms import QuestionForm, Step, Submission, blank_form, read_submission
from .plan import chosen_plan, plan_ideas
from .security import TokenState, make_token

bp = localized_blueprint("selfcheck", __name__)


def _render_step(
    form: QuestionForm,
    step: Step,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    country: str | None = None,
):
    questionnaire, steps = form.questionnaire, form.steps
    # The country travels with the answers once chosen; step 1 offers the choice.
    chosen = chosen_country(country) if country or step.number == 1 else None
    last = step.number == len(steps)
    endpoint = "selfcheck.results" if last else "selfcheck.questions"
    g.no_store = True
    return render_template(
        "selfcheck/step.html",
        shortfall=form.shortfall(step) if errors else None,
        q=questionnaire,
        form=form,
        step=step,
        step_count=len(steps),
        answers=form.answers_text(),
        errors=errors or {},
        notice=notice,
        token=make_token(questionnaire.id),
        action=link(endpoint, questionnaire_id=questionnaire.id),
        switch_endpoint="selfcheck.questions",
        country=chosen,
        countries=country_choices(),
    )


EXPIRED = N_(
    "This page was open for a long time, so we could not accept it. "
    "Your answers are kept: please check them and continue."
)


def _advance(questionnaire: Questionnaire, final: bool):
    """Handle one post from a question page or the results page."""
    submission = read_submission(questionnaire)
    form, number = submission.form, submission.step
    action, country = submission.action, submission.country
    steps = form.steps
    if number is not None:
        step = steps[number - 1]
        if submission.token is TokenState.EXPIRED:
            return _render_step(form, step, notice=gettext(EXPIRED), country=country)
        if action == "back":
            return _render_step(form, steps[max(number - 2, 0)], country=country)
        if action == "stay":
            return _render_step(form, step, country=country)
        errors = form.step_errors(step)
        if errors:
            return _render_step(form, step, errors=errors, country=country)
        if number < len(steps) and not final:
            return _render_step(form, steps[number], country=country)
    elif not final:
        abort(400, gettext("The form did not say which step it came from."))
    elif submission.token is TokenState.EXPIRED:
        return _render_step(form, steps[-1], notice=gettext(EXPIRED), country=country)
    elif action == "back":
        # "Change my answers" on the results page: the last step, every answer kept.
        return _render_step(form, steps[-1], country=country)
    # Results: every step must be answered enough to score; else the first gap, with errors.
    gap = form.first_gap()
    if gap:
        return _render_step(form, *gap, country=country)
    return _render_results(questionnaire, submission)


def portal_resources() -> tuple:
    """The embedding portal's own resources (its EAP line), shown first; none otherwise."""
    portal = current_portal()
    return portal.resources if portal else ()


def complete_submission(questionnaire: Questionnaire) -> Submission:
    """The post behind a download (summary PDF, FHIR): checked, with every question answered.

    An expired token shows the last step again with every answer kept, as the
    results page does, instead of the download.
    """
    submission = read_submission(questionnaire)
    form = submission.form
    if submission.token is TokenState.EXPIRED:
        page = _render_step(
            form, form.steps[-1], notice=gettext(EXPIRED), country=submission.country
        )
        abort(make_response(page))
    if form.first_gap():
        abort(400, gettext("The summary needs enough answers to score every part."))
    return submission


def _render_results(questionnaire: Questionnaire, submission: Submission):
    country = chosen_country(submission.country)
    assessment = assess(questionnaire, submission.answers)
    referrals = select_referrals(content().referrals, assessment, country, portal_resources())
    ideas = plan_ideas(referrals)
    plan = chosen_plan(ideas, submission.plan)
    g.no_store = True
    return render_template(
        "selfcheck/results.html",
        plan_ideas=ideas,
        plan_keys={idea.key for idea in plan},
        answered=len(submission.answers),
        q=questionnaire,
        assessment=assessment,
        referrals=referrals,
        answers=submission.form.answers_text(),
        country=country,
        countries=country_choices(),
        token=make_token(questionnaire.id),
        switch_endpoint="selfcheck.results",
        completed=True,
    )


@bp.get("/check/<questionnaire_id>/questions")
def questions(questionnaire_id: str):
    form = blank_form(questionnaire_or_404(questionnaire_id))
    return _render_step(form, form.steps[0])


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
    form = blank_form(questionnaire_or_404(questionnaire_id))
    return _render_step(form, form.steps[0])
