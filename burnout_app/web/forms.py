"""The question forms, built with WTForms from the questionnaire, and the one reader of a post.

Each questionnaire gets one form class, defined once per app: a radio field per
question with the options of its response set as choices, the safety question,
and the fields every page posts (token, step, action, country, plan). Every view
that takes a post (a question page, the results, the summary PDF, the FHIR
download) reads it through `read_submission`, and only through it.

Answers travel between steps in hidden fields of the form itself, never in the
URL and never in a cookie. A post is read strictly: an unknown or repeated
field, or a value that is not one of the question's options, is a 400. Only the
answers of the visible step produce friendly inline errors, from the validators.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app, request
from markupsafe import Markup, escape
from werkzeug.exceptions import BadRequest
from wtforms import Field, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.form import BaseForm
from wtforms.meta import DefaultMeta
from wtforms.validators import AnyOf, InputRequired, Regexp, ValidationError

from .. import i18n
from ..domain.questionnaire import Dimension, Item, Questionnaire, SafetyItem
from ..domain.scoring import score_dimension
from ..i18n import gettext, lazy_gettext, ngettext
from .security import TokenState, check_origin, check_token

PLAN_FIELD = "plan"
"""Ideas the person ticked on the results page ("plan"): many values, each an idea's key."""
MAX_PLAN = 40
ACTIONS = ("continue", "back", "stay")
""""stay" comes from the language switcher: the same page in another language."""


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


class Radios:
    """The widget of a question: a fieldset, its legend, the inline error, one radio an option.

    ``layout="scale"`` puts the options in one row of numbered boxes on a phone;
    the words stay in the label. ``described_by`` names the prompt the question
    answers, which screen readers read with it.
    """

    def __call__(self, field: AnswerField, number=None, layout="list", described_by=None):
        name = escape(field.name)
        error = escape(str(field.errors[0])) if field.errors else ""
        described = " ".join(x for x in (described_by, error and f"{field.name}-error") if x)
        html = [f'<div class="question{" question-error" if error else ""}">']
        html.append(f'\n  <fieldset id="{name}"')
        html.append(f' aria-describedby="{escape(described)}">' if described else ">")
        html.append("\n    <legend>")
        if number:
            hidden = escape(gettext("Question"))
            html.append(
                f'<span class="q-number"><span class="visually-hidden">{hidden} </span>'
                f"{number}</span> "
            )
        html.append(f'<span class="q-text">{escape(i18n.translate_content(field.label.text))}')
        html.append("</span></legend>")
        if error:
            html.append(
                f'\n    <p class="error-message" id="{name}-error"><span class="visually-hidden">'
                f"{escape(gettext('Error:'))}</span> {error}</p>"
            )
        html.append(f'\n    <div class="radios radios-{escape(layout)}">')
        chosen = field.text
        for index, choice in enumerate(field.choices):
            value, words = escape(choice.value), _words(choice)
            checked = " checked" if choice.value == chosen else ""
            html.append(
                f'\n      <div class="radio">\n        <input type="radio" id="{name}-{index}"'
                f' name="{name}" value="{value}"{checked}>\n        <label for="{name}-{index}">'
            )
            if layout == "scale":
                box = value if len(choice.value) <= 3 else index + 1
                html.append(f'<span class="opt-num">{box}</span> <span class="opt-words">{words}')
                html.append("</span></label>\n      </div>")
            else:
                html.append(f"{words}</label>\n      </div>")
        html.append("\n    </div>")
        if layout == "scale":
            ends = (field.choices[0], field.choices[-1])
            html.append('\n    <p class="scale-ends" aria-hidden="true">')
            html.append(" ".join(f"<span>{escape(c.value)} = {_words(c)}</span>" for c in ends))
            html.append("</p>")
        html.append("\n  </fieldset>\n</div>")
        return Markup("".join(html))


def _words(choice: SelectChoice) -> Markup:
    return escape(i18n.translate_content(choice.label))


class AnswerField(RadioField):
    """One question: its options are the choices, its data the chosen option's value.

    A value that is not one of the options is tampering, not a slip: it is a
    processing error, which `read_submission` answers with a 400.
    """

    widget = Radios()

    def __init__(self, label, validators, *, choices, values: Mapping[str, float], **kwargs):
        super().__init__(
            label, validators, choices=choices, coerce=float, validate_choice=False, **kwargs
        )
        self.values = values

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = self.values.get(valuelist[0])
            if self.data is None:
                raise ValueError(self.invalid_value_message)

    @property
    def text(self) -> str | None:
        """The answer as the form sends it, or None when unanswered."""
        return None if self.data is None else value_text(self.data)


class PlanField(Field):
    """The ideas ticked on the results page: every value of the repeated field, in order."""

    def process_formdata(self, valuelist):
        self.data = tuple(valuelist)


def plan_limits(form: BaseForm, field: PlanField) -> None:
    """At most `MAX_PLAN` ideas, none twice."""
    plan = field.data or ()
    if len(plan) > MAX_PLAN or len(set(plan)) != len(plan):
        raise ValidationError(lazy_gettext("The plan has too many ideas or repeats one."))


class PartScored:
    """A question may be left out while its part can still be scored.

    When it cannot (the questionnaire's minimum share of answers, checked by the
    scoring itself), each unanswered question on the page is named by its number.
    """

    def __init__(self, dimension: Dimension, number: int) -> None:
        self.dimension = dimension
        self.message = lazy_gettext("Answer question %(n)d", n=number)

    def __call__(self, form: QuestionForm, field: AnswerField) -> None:
        if field.data is None and not form.scored(self.dimension):
            raise ValidationError(self.message)


class StepNumber:
    """The step a page says it came from: ASCII digits, few of them, and a real step.

    ``str.isdigit()`` accepts "²", and ``int()`` refuses more than 4,300 digits,
    so neither may reach ``int()``.
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self.message = lazy_gettext("The form named a step that does not exist.")
        self.digits = Regexp(r"[0-9]{1,3}\Z", message=self.message)

    def __call__(self, form: QuestionForm, field: StringField) -> None:
        if field.raw_data:
            self.digits(form, field)
            if not 1 <= int(field.data) <= self.count:
                raise ValidationError(self.message)


class BoundOnce(DefaultMeta):
    """Bind each field of a request's form by copying the field its class bound once.

    A field's label, choices, validators and flags are the same for every request;
    only what `process` and `validate` set (data, raw data, errors) is the
    request's own, and those are always assigned anew, never changed in place.
    Copying sets a results post's 24 fields up three times faster than binding
    each anew, which made that post a third slower than the hand-written parser
    this form replaced (1.11 ms against 0.82 ms in the test client).
    """

    def bind_field(self, form: QuestionForm, unbound_field, options) -> Field:
        bound = form.bound[options["name"]]
        field = object.__new__(type(bound))
        field.__dict__.update(bound.__dict__)
        field._form, field.meta = form, self
        return field


class QuestionForm(BaseForm):
    """Base of the generated forms: a field per question, and the fields every page posts.

    A `BaseForm` keeps fields out of the attribute namespace, so a question's
    id can never shadow a method. Subclasses are made by `define_form`.
    """

    questionnaire: Questionnaire
    steps: tuple[Step, ...]
    fields: tuple[tuple[str, Field], ...]
    answer_ids: tuple[str, ...]
    field_names: frozenset[str]
    bound: Mapping[str, Field]
    """Every field bound once, when the class is defined; `BoundOnce` copies them."""

    def __init__(self, formdata=None) -> None:
        super().__init__(self.fields, meta=_BOUND_ONCE)
        self._scored: dict[str, bool] = {}
        self.process(formdata)
        self.answers = {
            name: self[name].data for name in self.answer_ids if self[name].data is not None
        }

    def answers_text(self) -> dict[str, str]:
        return {name: value_text(value) for name, value in self.answers.items()}

    def scored(self, dimension: Dimension) -> bool:
        """Whether the answers so far score this part (once a request)."""
        known = self._scored.get(dimension.id)
        if known is None:
            known = score_dimension(self.questionnaire, dimension, self.answers).scored
            self._scored[dimension.id] = known
        return known

    def step_errors(self, step: Step) -> dict[str, str]:
        """Inline errors for one step from its fields' validators; empty when it may go on."""
        return {
            name: str(self[name].errors[0])
            for name in step.field_ids
            if not self[name].validate(self)
        }

    def first_gap(self) -> tuple[Step, dict[str, str]] | None:
        """The first step not answered enough to score, with its errors; None when all are."""
        for step in self.steps:
            errors = self.step_errors(step)
            if errors:
                return step, errors
        return None

    def shortfall(self, step: Step) -> str | None:
        """The error summary's sentence: how many more answers this page needs."""
        if not step.dimension:
            return None
        needed, given = 0, dict(self.answers)
        for item in step.items:
            if score_dimension(self.questionnaire, step.dimension, given).scored:
                break
            if item.id not in given:
                given[item.id] = item.scale.minimum
                needed += 1
        if not needed:
            return None
        return ngettext(
            "Answer at least %(num)d more question on this page, so this part can be scored.",
            "Answer at least %(num)d more questions on this page, so this part can be scored.",
            needed,
        )

    def malformed(self) -> str | None:
        """The first answer that is not one of its question's options."""
        for name in self.answer_ids:
            if self[name].process_errors:
                return str(self[name].process_errors[0])
        return None

    def problem(self, *names: str) -> str | None:
        """The first error of these fields (not answers): no person could have sent it."""
        for name in names:
            if not self[name].validate(self):
                return str(self[name].errors[0])
        return None


_BOUND_ONCE = BoundOnce()


def _answer_field(text: str, options, validators: list, field_id: str) -> AnswerField:
    return AnswerField(
        text,
        validators,
        choices=[SelectChoice(value_text(o.value), o.label) for o in options],
        values={value_text(o.value): float(o.value) for o in options},
        invalid_value_message=lazy_gettext(
            "The answer to %(name)s is not one of its options.", name=repr(field_id)
        ),
    )


def define_form(questionnaire: Questionnaire) -> type[QuestionForm]:
    """The form class of one questionnaire: its questions, their choices and their rules."""
    steps = steps_for(questionnaire)
    fields: list[tuple[str, Field]] = []
    for step in steps:
        for number, item in enumerate(step.items, start=1):
            check = PartScored(step.dimension, number)
            fields.append((item.id, _answer_field(item.text, item.scale.options, [check], item.id)))
        if step.safety:
            required = InputRequired(message=lazy_gettext("Select an answer"))
            field = _answer_field(step.safety.text, step.safety.options, [required], step.safety.id)
            fields.append((step.safety.id, field))
    answer_ids = tuple(name for name, _ in fields)
    fields += [
        ("token", StringField()),
        ("step", StringField(validators=[StepNumber(len(steps))])),
        (
            "action",
            StringField(
                default="continue",
                validators=[
                    AnyOf(
                        ACTIONS,
                        message=lazy_gettext("The form asked for something this page cannot do."),
                    )
                ],
            ),
        ),
        ("country", StringField()),
        (PLAN_FIELD, PlanField(validators=[plan_limits])),
    ]
    cls = type(
        f"{questionnaire.id}-form",
        (QuestionForm,),
        {
            "questionnaire": questionnaire,
            "steps": steps,
            "fields": tuple(fields),
            "answer_ids": answer_ids,
            "field_names": frozenset(name for name, _ in fields),
        },
    )
    cls.bound = {field.short_name: field for field in BaseForm(fields)}
    return cls


def form_class(questionnaire: Questionnaire) -> type[QuestionForm]:
    """The questionnaire's form class, defined on first use and kept for the app's life."""
    defined: dict = current_app.extensions.setdefault("burnout_forms", {})
    cls = defined.get(questionnaire.id)
    if cls is None or cls.questionnaire is not questionnaire:
        cls = defined[questionnaire.id] = define_form(questionnaire)
    return cls


def blank_form(questionnaire: Questionnaire) -> QuestionForm:
    """The form of the first page, before anything is answered."""
    return form_class(questionnaire)()


@dataclass(frozen=True)
class Submission:
    """A post, checked: the form holds the answers; the rest is read from it."""

    form: QuestionForm
    token: TokenState

    @property
    def answers(self) -> Mapping[str, float]:
        return self.form.answers

    @property
    def step(self) -> int | None:
        raw = self.form["step"].data
        return int(raw) if raw else None

    @property
    def action(self) -> str:
        return self.form["action"].data

    @property
    def country(self) -> str | None:
        return self.form["country"].data

    @property
    def plan(self) -> tuple[str, ...]:
        """Keys of the ideas ticked on the results page, in the order sent."""
        return self.form[PLAN_FIELD].data or ()


def read_submission(questionnaire: Questionnaire) -> Submission:
    """Turn this request's post into a checked submission, or raise a 400 (or a 403).

    The order: where it came from, the fields' names, the answers and the plan,
    the token, then the step and the action.
    """
    check_origin()
    cls, formdata = form_class(questionnaire), request.form
    for key, values in formdata.lists():
        if key not in cls.field_names:
            raise BadRequest(
                gettext(
                    "The form has a field this questionnaire does not know: %(name)s.",
                    name=repr(key),
                )
            )
        if len(values) != 1 and key != PLAN_FIELD:
            raise BadRequest(gettext("The field %(name)s was sent more than once.", name=repr(key)))
    form = cls(formdata)
    _refuse(form.malformed() or form.problem(PLAN_FIELD))
    token = check_token(form["token"].data, questionnaire.id)
    _refuse(form.problem("step", "action"))
    return Submission(form, token)


def _refuse(problem: str | None) -> None:
    if problem:
        raise BadRequest(problem)


def hidden_inputs(fields: Mapping[str, str], skip: tuple[str, ...] = ()) -> Markup:
    """Hidden inputs that carry answers (and meta fields) to the next page's post."""
    return Markup(
        "\n".join(
            f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
            for name, value in fields.items()
            if name not in skip
        )
    )
