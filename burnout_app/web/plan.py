"""A personal plan and a reminder to check again: nothing about the person is stored.

The results page lists the self-care and next-step ideas as checkboxes in the
form that posts to the summary PDF, so the ideas a person ticks travel in the
POST body only and are printed under "What I plan to try". The reminder is a
calendar file that holds a date four weeks ahead and the address of the check:
no answers, no scores, nothing that says how the person is.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Response, abort, current_app, g

from .. import i18n
from ..domain.referrals import ReferralSet
from . import link, localized_blueprint, questionnaire_or_404

bp = localized_blueprint("plan", __name__)

REMINDER_DAYS = 28


@dataclass(frozen=True)
class PlanIdea:
    key: str
    """Stable within one results page: "next", or a self-care group and a number."""
    text: str
    """A msgid from the referral content, translated where it is shown."""


def plan_ideas(referrals: ReferralSet) -> tuple[PlanIdea, ...]:
    """Every idea the person may tick: the next step, then each self-care idea shown."""
    ideas = [PlanIdea("next", referrals.next_step.title)]
    for group in referrals.self_care:
        prefix = group.dimension_id or "general"
        ideas += [PlanIdea(f"{prefix}-{n}", idea) for n, idea in enumerate(group.ideas, 1)]
    return tuple(ideas)


def chosen_plan(ideas: tuple[PlanIdea, ...], keys: Iterable[str]) -> tuple[PlanIdea, ...]:
    """The ticked ideas in page order (`plan_ideas`); a key the page did not offer is a 400."""
    keys = set(keys)
    if keys - {i.key for i in ideas}:
        abort(400, i18n.gettext("The plan names an idea this page did not offer."))
    return tuple(i for i in ideas if i.key in keys)


def _ics_text(value: str) -> str:
    """TEXT value escaping (RFC 5545, 3.3.11)."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545, 3.1), never inside a character."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74  # continuation lines start with a space
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def reminder_ics(summary: str, description: str, url: str | None, today: dt.date) -> str:
    """One all-day event four weeks after ``today``: a date, a title, the check's address.

    Without a known public address (``BURNOUT_PUBLIC_URL``) the event has no link:
    the Host header is the client's to choose and must never become one.
    """
    day = today + dt.timedelta(days=REMINDER_DAYS)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Burnout Self-Check//Reminder//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uuid.uuid4()}@burnout-self-check",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_ics_text(summary)}",
        f"DESCRIPTION:{_ics_text(description + (' ' + url if url else ''))}",
        *([f"URL:{url}"] if url else []),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)


@bp.get("/check/<questionnaire_id>/reminder.ics")
def reminder(questionnaire_id: str):
    """A calendar file to check again in four weeks. A GET: it carries no answers."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    public = current_app.config["PUBLIC_URL"].rstrip("/")
    url = (
        public + link("pages.start_questionnaire", questionnaire_id=questionnaire.id)
        if public
        else None
    )
    body = reminder_ics(
        i18n.gettext("Check in with yourself again: burnout self-check"),
        i18n.gettext(
            "Four weeks ago you did a burnout self-check. Doing it again shows whether "
            "things have changed."
        ),
        url,
        dt.datetime.now(dt.UTC).date(),
    )
    g.no_store = True
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="burnout-self-check-reminder.ics"'},
    )
