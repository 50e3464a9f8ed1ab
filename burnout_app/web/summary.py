"""The summary PDF, made from a POST of the answers: scored again, rendered, never stored."""

from __future__ import annotations

import datetime as dt
import re

from flask import Response, abort, current_app, g, render_template

from .. import i18n
from ..domain.questionnaire import Questionnaire
from ..domain.referrals import select_referrals
from ..domain.scoring import assess
from ..pdf import RenderSlots, render_pdf
from . import content, localized_blueprint, questionnaire_or_404
from .country import chosen_country
from .plan import chosen_plan, plan_ideas
from .selfcheck import complete_submission, portal_resources

bp = localized_blueprint("summary", __name__)


def page_label_css() -> str:
    """``@bottom-center`` content for "Page 1 of 2" in the page's language."""
    label = i18n.gettext("Page %(page)s of %(pages)s", page="\0page\0", pages="\0pages\0")
    parts = []
    for piece in re.split(r"(\0page\0|\0pages\0)", label):
        if piece == "\0page\0":
            parts.append("counter(page)")
        elif piece == "\0pages\0":
            parts.append("counter(pages)")
        elif piece:
            # A CSS string: also no "<" (the rule is inlined in a <style> by
            # `summary --html`, where "</style>" would end it) and no raw newline.
            escaped = (
                piece.replace("\\", "\\\\")
                .replace('"', '\\"')
                .replace("<", "\\3c ")
                .replace("\n", "\\a ")
            )
            parts.append(f'"{escaped}"')
    return "@bottom-center { content: " + " ".join(parts) + "; }"


def render_summary_html(
    questionnaire: Questionnaire,
    answers: dict,
    country: str,
    created: dt.datetime,
    plan_keys: tuple[str, ...] = (),
) -> str:
    """The summary as HTML, from answers (scored here), a country and the ticked ideas."""
    assessment = assess(questionnaire, answers)
    referrals = select_referrals(content().referrals, assessment, country, portal_resources())
    return render_template(
        "summary/summary.html",
        plan=chosen_plan(plan_ideas(referrals), plan_keys),
        q=questionnaire,
        assessment=assessment,
        referrals=referrals,
        answers=dict(assessment.answers),
        country=country,
        created=created,
    )


def summary_pdf(
    questionnaire: Questionnaire, answers: dict, country: str, plan_keys: tuple[str, ...] = ()
) -> bytes:
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    html = render_summary_html(questionnaire, answers, country, created, plan_keys)
    return render_pdf(html, country, page_label_css())


def _slots() -> RenderSlots:
    app = current_app._get_current_object()
    slots = app.extensions.get("burnout_pdf_slots")
    if slots is None:
        slots = app.extensions["burnout_pdf_slots"] = RenderSlots(app.config["PDF_CONCURRENCY"])
    return slots


@bp.post("/check/<questionnaire_id>/summary")
def summary(questionnaire_id: str):
    questionnaire = questionnaire_or_404(questionnaire_id)
    submission = complete_submission(questionnaire)
    country = chosen_country(submission.country)
    with _slots().slot() as acquired:
        if not acquired:
            abort(503)
        pdf = summary_pdf(questionnaire, dict(submission.answers), country, submission.plan)
    g.no_store = True
    filename = f"burnout-summary-{dt.date.today().isoformat()}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
