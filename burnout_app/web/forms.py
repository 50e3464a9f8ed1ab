"""Question pages as forms: steps, strict parsing of a post, WTForms for each step.

Answers travel between steps in hidden fields of the form itself, never in the
URL and never in a cookie. A post is read strictly: an unknown or repeated
field, or a value that is not one of the question's options, is a 400. Only the
required-answer check of the visible step produces friendly inline errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from wtforms import Form, RadioField
from wtforms.validators import InputRequired

from ..domain.questionnaire import Item, Questionnaire, SafetyItem
from ..i18n import gettext

META_FIELDS = {"token", "step", "action", "country"}


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    items: tuple[Item, ...]
    safety: SafetyItem | None = None

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
        Step(n, d.step_title, d.items) for n, d in enumerate(questionnaire.dimensions, start=1)
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

    def answers_text(self) -> dict[str, str]:
        return {k: value_text(v) for k, v in self.answers.items()}


def parse_submission(questionnaire: Questionnaire, form: MultiDict) -> Submission:
    """Read answers and meta fields from a POST body, or raise BadRequest."""
    allowed = allowed_values(questionnaire)
    answers: dict[str, float] = {}
    meta: dict[str, str] = {}
    for key in form:
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
    return Submission(answers, meta)


def hidden_inputs(fields: Mapping[str, str], skip: tuple[str, ...] = ()) -> Markup:
    """Hidden inputs that carry answers (and meta fields) to the next page's post."""
    return Markup(
        "\n".join(
            f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
            for name, value in fields.items()
            if name not in skip
        )
    )


def step_form(questionnaire: Questionnaire, step: Step, formdata: MultiDict | None) -> Form:
    """A WTForms form for the questions of one step."""

    class StepForm(Form):
        pass

    # Plain values: the templates render labels themselves (as translated text).
    for item in step.items:
        choices = [value_text(o.value) for o in item.scale.options]
        setattr(
            StepForm,
            item.id,
            RadioField(
                item.text,
                choices=choices,
                validators=[InputRequired(lazy_gettext("Select how often this was true for you"))],
            ),
        )
    if step.safety:
        setattr(
            StepForm,
            step.safety.id,
            RadioField(
                step.safety.text,
                choices=[value_text(o.value) for o in step.safety.options],
                validators=[InputRequired(lazy_gettext("Select an answer"))],
            ),
        )
    return StepForm(formdata=formdata)
