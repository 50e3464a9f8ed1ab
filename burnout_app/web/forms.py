"""Question pages as forms: steps, strict parsing of a post, WTForms for each step.

Answers travel between steps in hidden fields of the form itself, never in the
URL and never in a cookie. A post is read strictly: an unknown or repeated
field, or a value that is not one of the question's options, is a 400. Only the
required-answer check of the visible step produces friendly inline errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from ..domain.questionnaire import Dimension, Item, Questionnaire, SafetyItem
from ..domain.scoring import score_dimension
from ..i18n import gettext, ngettext

META_FIELDS = {"token", "step", "action", "country"}
PLAN_FIELD = "plan"
"""Ideas the person ticked on the results page ("plan"): many values, each an idea's key."""
MAX_PLAN = 40


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    items: tuple[Item, ...]
    safety: SafetyItem | None = None
    dimension: Dimension | None = None

    @property
    def field_ids(self) -> tuple[str, ...]:
        ids = tuple(i.id for i in self.items)
        return (*ids, self.safety.id) if self.safety else ids


def steps_for(questionnaire: Questionnaire) -> tuple[Step, ...]:
    """One page per dimension, then the safety question on a page of its own.

    Grouping by dimension keeps each page short on a phone (six questions) and
    lets its heading say what the questions are about; the safety question gets
    its own page so that it is never missed and can explain itself.
    """
    steps = [
        Step(n, d.step_title, d.items, dimension=d)
        for n, d in enumerate(questionnaire.dimensions, start=1)
    ]
    if questionnaire.safety:
        steps.append(
            Step(len(steps) + 1, questionnaire.safety.step_title, (), questionnaire.safety)
        )
    return tuple(steps)


def value_text(value: float) -> str:
    """How an option value travels in a form: 3.0 -> "3", 0.5 -> "0.5"."""
    return f"{value:g}"


def allowed_values(questionnaire: Questionnaire) -> dict[str, dict[str, float]]:
    """Field name -> {form text -> value} for every question."""
    allowed = {
        item.id: {value_text(o.value): o.value for o in item.scale.options}
        for item in questionnaire.items
    }
    if questionnaire.safety:
        allowed[questionnaire.safety.id] = {
            value_text(o.value): o.value for o in questionnaire.safety.options
        }
    return allowed


@dataclass(frozen=True)
class Submission:
    answers: Mapping[str, float]
    meta: Mapping[str, str]
    plan: tuple[str, ...] = ()
    """Keys of the ideas ticked on the results page, in the order sent."""

    def answers_text(self) -> dict[str, str]:
        return {k: value_text(v) for k, v in self.answers.items()}


def parse_submission(questionnaire: Questionnaire, form: MultiDict) -> Submission:
    """Read answers and meta fields from a POST body, or raise BadRequest."""
    allowed = allowed_values(questionnaire)
    answers: dict[str, float] = {}
    meta: dict[str, str] = {}
    plan = tuple(form.getlist(PLAN_FIELD))
    if len(plan) > MAX_PLAN or len(set(plan)) != len(plan):
        raise BadRequest(gettext("The plan has too many ideas or repeats one."))
    for key in form:
        if key == PLAN_FIELD:
            continue
        values = form.getlist(key)
        if len(values) != 1:
            raise BadRequest(gettext("The field %(name)s was sent more than once.", name=repr(key)))
        value = values[0]
        if key in allowed:
            if value not in allowed[key]:
                raise BadRequest(
                    gettext("The answer to %(name)s is not one of its options.", name=repr(key))
                )
            answers[key] = allowed[key][value]
        elif key in META_FIELDS:
            meta[key] = value
        else:
            raise BadRequest(
                gettext(
                    "The form has a field this questionnaire does not know: %(name)s.",
                    name=repr(key),
                )
            )
    return Submission(answers, meta, plan)


def hidden_inputs(fields: Mapping[str, str], skip: tuple[str, ...] = ()) -> Markup:
    """Hidden inputs that carry answers (and meta fields) to the next page's post."""
    return Markup(
        "\n".join(
            f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
            for name, value in fields.items()
            if name not in skip
        )
    )


def step_errors(questionnaire: Questionnaire, step: Step, answers: Mapping[str, float]):
    """Inline errors for one step: field id -> message; empty when the step may go on.

    A question may be left out while its part can still be scored (the
    questionnaire's minimum share of answers, checked by the scoring itself). When
    it cannot, each unanswered question on the page is named by its number. The
    safety question is always required: its answer decides whether crisis help
    comes first.
    """
    errors: dict[str, str] = {}
    if step.dimension and not score_dimension(questionnaire, step.dimension, answers).scored:
        for number, item in enumerate(step.items, start=1):
            if item.id not in answers:
                errors[item.id] = gettext("Answer question %(n)d", n=number)
    if step.safety and step.safety.id not in answers:
        errors[step.safety.id] = gettext("Select an answer")
    return errors


def missing_count(questionnaire: Questionnaire, step: Step, answers: Mapping[str, float]) -> int:
    """How many more answers the step's part needs before it can be scored."""
    if not step.dimension:
        return 0
    needed = 0
    given = dict(answers)
    for item in step.items:
        if score_dimension(questionnaire, step.dimension, given).scored:
            break
        if item.id not in given:
            given[item.id] = item.scale.minimum
            needed += 1
    return needed


def shortfall_text(count: int) -> str:
    """The error summary's sentence: how many more answers this page needs."""
    return ngettext(
        "Answer at least %(num)d more question on this page, so this part can be scored.",
        "Answer at least %(num)d more questions on this page, so this part can be scored.",
        count,
    )
