"""The JSON bodies of the API and the CLI, each declared once as a pydantic model.

The same model checks a request (`AssessmentRequest`), writes a response
(`Questionnaire`, `Assessment`, `Problem`, ...) and gives its JSON Schema to the
OpenAPI document (web/openapi.py). `burnout-app score` prints an
`AssessmentResult`, the scores part of the API's `Assessment`.

Texts go through ``tr``: the API passes the request's translation, the CLI
nothing (English msgids). No Flask here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .questionnaire import Aggregate, Concern

if TYPE_CHECKING:
    from .questionnaire import Questionnaire as QuestionnaireModel
    from .referrals import ReferralSet
    from .scoring import Assessment as AssessmentModel
    from .scoring import DimensionScore

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


def _number(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "must be a number")
    return value


# A JSON number as sent: an int stays an int however large (the scale check
# then refuses it by name), never a bool or a numeric string.
Number = Annotated[int | float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
Uri = Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})]
RouteKind = Literal[
    "primary_care", "psychologist_register", "psychotherapist_register", "psychiatry"
]


class Body(BaseModel):
    model_config = ConfigDict(frozen=True)


# --- Errors -------------------------------------------------------------------------


class FieldError(Body):
    field: str
    detail: str


class Problem(Body):
    """An RFC 9457 problem; ``errors`` names each field at fault."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = Field(default_factory=list)


# --- Requests -----------------------------------------------------------------------

MAX_ANSWERS = 500


class AssessmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    answers: dict[str, Number] = Field(
        max_length=MAX_ANSWERS,
        description="Item id to the chosen option's value. Missing items are unanswered. "
        "Scores are always computed here; none is accepted.",
    )
    country: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2}$",
        description="Two-letter country code for crisis lines (default: from the language "
        "or the portal).",
    )
    portal: str | None = Field(
        default=None,
        description="A portal id, to include its own resources (its EAP line), or null for none.",
    )


# What a client is told, by field, when that field is refused; the status is 400
# unless named here. `portal` is 422 like any unknown portal.
REQUEST_ERRORS: dict[str, tuple[int, str]] = {
    "(body)": (400, "must be a JSON object"),
    "answers": (400, "must be an object of item ids to values"),
    "country": (400, "must be a two-letter country code like GB"),
    "portal": (422, "no such portal"),
}


# --- Questionnaires -----------------------------------------------------------------


class Option(Body):
    value: Number
    label: str


class Range(Body):
    min: Number
    max: Number


class ScoringRule(Body):
    aggregate: Aggregate = Field(
        description="How the counted values of the answered items combine."
    )
    min_answered: int = Field(ge=1, description="Answers needed for a score.")
    range: Range


class Item(Body):
    id: str
    text: str
    reverse: bool = Field(
        description="Counted as min + max - value of the item's own response set."
    )
    response_set: str


class Dimension(ScoringRule):
    id: str
    name: str
    description: str
    items: list[Item]


class Composite(ScoringRule):
    id: str
    name: str
    description: str
    dimensions: list[str]
    items: list[str]


class SafetyOption(Body):
    value: int
    label: str
    flag: bool


class Safety(Body):
    id: str
    text: str
    hint: str | None
    options: list[SafetyOption]


class QuestionnaireSummary(Body):
    id: str
    version: str
    title: str
    minutes: int | None
    questions: int

    @classmethod
    def of(cls, q: QuestionnaireModel, tr: Translate = _same) -> QuestionnaireSummary:
        return cls(
            id=q.id,
            version=q.version,
            title=tr(q.title),
            minutes=q.minutes,
            questions=q.question_count,
        )


class QuestionnaireList(Body):
    questionnaires: list[QuestionnaireSummary]


def _options(scale, tr: Translate) -> list[Option]:
    return [Option(value=o.value, label=tr(o.label)) for o in scale.options]


def _rule(d, tr: Translate) -> dict:
    return {
        "id": d.id,
        "name": tr(d.name),
        "description": tr(d.description),
        "aggregate": d.aggregate,
        "min_answered": d.min_count,
        "range": Range(min=d.minimum, max=d.maximum),
    }


class Questionnaire(QuestionnaireSummary):
    language: str
    introduction: str
    prompt: str
    scale: list[Option] = Field(description="The shared response set (also response_sets.default).")
    response_sets: dict[str, list[Option]] = Field(
        description="Every response set by name; each item names its own."
    )
    dimensions: list[Dimension]
    composites: list[Composite] = Field(
        description="Scores across dimensions or items, such as a total."
    )
    safety: Safety | None

    @classmethod
    def of(cls, q: QuestionnaireModel, tr: Translate = _same, language: str = "en"):
        safety = q.safety
        return cls(
            **dict(QuestionnaireSummary.of(q, tr)),
            language=language,
            introduction=tr(q.introduction),
            prompt=tr(q.prompt),
            scale=_options(q.scale, tr),
            response_sets={name: _options(s, tr) for name, s in q.response_sets.items()},
            dimensions=[
                Dimension(
                    **_rule(d, tr),
                    items=[
                        Item(
                            id=i.id, text=tr(i.text), reverse=i.reverse, response_set=i.response_set
                        )
                        for i in d.items
                    ],
                )
                for d in q.dimensions
            ],
            composites=[
                Composite(
                    **_rule(c, tr), dimensions=list(c.dimension_ids), items=[i.id for i in c.items]
                )
                for c in q.composites
            ],
            safety=None
            if safety is None
            else Safety(
                id=safety.id,
                text=tr(safety.text),
                hint=tr(safety.hint) if safety.hint else None,
                options=[
                    SafetyOption(value=o.value, label=tr(o.label), flag=o.flag)
                    for o in safety.options
                ],
            ),
        )


# --- Assessments --------------------------------------------------------------------


class Band(Body):
    id: str
    label: str
    concern: Concern
    meaning: str


class Score(Body):
    """One dimension's or composite's score."""

    id: str
    name: str
    scored: bool
    score: float | None = Field(
        description="Mean or sum (see aggregate) in the instrument's own units."
    )
    score_100: float | None = Field(ge=0, le=100)
    aggregate: Aggregate
    scale: Range = Field(
        description="The score's own range: on a sum, from the sum of the lowest values to "
        "the sum of the highest."
    )
    items_answered: int
    items_total: int
    min_answered: int = Field(ge=1)
    band: Band | None
    band_source: str

    @classmethod
    def of(cls, d: DimensionScore, tr: Translate = _same) -> Score:
        level = d.level
        return cls(
            id=d.dimension.id,
            name=tr(d.dimension.name),
            scored=d.scored,
            score=None if d.score is None else round(d.score, 4),
            score_100=None if d.score_100 is None else round(d.score_100, 2),
            aggregate=d.dimension.aggregate,
            scale=Range(min=d.minimum, max=d.maximum),
            items_answered=d.items_answered,
            items_total=d.items_total,
            min_answered=d.dimension.min_count,
            band=None
            if level is None
            else Band(
                id=level.id,
                label=tr(level.label),
                concern=level.concern,
                meaning=tr(level.meaning),
            ),
            band_source=tr(d.dimension.bands.source),
        )


class QuestionnaireRef(Body):
    id: str
    version: str


class ProfileBody(Body):
    id: str
    name: str
    description: str


class AssessmentResult(Body):
    """The scores of an assessment: what `burnout-app score` prints."""

    questionnaire: QuestionnaireRef
    dimensions: list[Score]
    composites: list[Score] = Field(
        description="Scores across dimensions or items, such as a total."
    )
    profile: ProfileBody | None
    concern: Concern
    safety_flag: bool

    @classmethod
    def fields_of(cls, a: AssessmentModel, tr: Translate = _same) -> dict:
        q, p = a.questionnaire, a.profile
        return {
            "questionnaire": QuestionnaireRef(id=q.id, version=q.version),
            "dimensions": [Score.of(d, tr) for d in a.dimensions],
            "composites": [Score.of(c, tr) for c in a.composites],
            "profile": None
            if p is None
            else ProfileBody(id=p.id, name=tr(p.name), description=tr(p.description)),
            "concern": a.concern,
            "safety_flag": a.safety_flag,
        }

    @classmethod
    def of(cls, a: AssessmentModel) -> AssessmentResult:
        return cls(**cls.fields_of(a))


class NextStep(Body):
    key: Literal["none", "some", "high", "safety"]
    title: str
    text: str


class CrisisLine(Body):
    name: str
    phone: str
    tel: str
    sms: str | None
    hours: str
    free: bool | None = Field(
        description="Whether calls are free, as the line's source says; null when the "
        "source does not say."
    )
    description: str
    url: Uri
    verified: dt.date


class Route(Body):
    kind: RouteKind
    label: str
    name: str
    url: Uri
    verified: dt.date


class Directory(Body):
    name: str
    url: str
    description: str


class Crisis(Body):
    country: str
    known: bool
    emergency: str | None
    emergency_advice: str
    lines: list[CrisisLine]
    professionals: list[Route] = Field(
        description="The country's own ways to reach a licensed professional."
    )
    directory: Directory


class SelfCare(Body):
    dimension: str | None
    ideas: list[str]


class Professional(Body):
    id: str
    name: str
    text: str
    phone: str | None
    hours: str | None
    url: str | None


class Referrals(Body):
    crisis_first: bool
    next_step: NextStep
    crisis: Crisis
    self_care: list[SelfCare]
    professionals: list[Professional]

    @classmethod
    def of(cls, r: ReferralSet, tr: Translate, kind_label: Translate) -> Referrals:
        crisis = r.crisis
        return cls(
            crisis_first=r.crisis_first,
            next_step=NextStep(
                key=r.next_step.key, title=tr(r.next_step.title), text=tr(r.next_step.text)
            ),
            crisis=Crisis(
                country=crisis.country,
                known=crisis.known,
                emergency=crisis.emergency,
                emergency_advice=tr(crisis.emergency_advice),
                lines=[
                    CrisisLine(
                        name=line.name,
                        phone=line.phone,
                        tel=line.tel,
                        sms=line.sms,
                        hours=tr(line.hours),
                        free=line.free,
                        description=tr(line.description),
                        url=line.url,
                        verified=line.verified,
                    )
                    for line in crisis.lines
                ],
                professionals=[
                    Route(
                        kind=route.kind,
                        label=kind_label(route.kind),
                        name=route.name,
                        url=route.url,
                        verified=route.verified,
                    )
                    for route in crisis.professionals
                ],
                directory=Directory(
                    name=crisis.directory.name,
                    url=crisis.directory.url,
                    description=tr(crisis.directory.description),
                ),
            ),
            self_care=[
                SelfCare(dimension=s.dimension_id, ideas=[tr(i) for i in s.ideas])
                for s in r.self_care
            ],
            professionals=[
                Professional(
                    id=p.id,
                    name=tr(p.name) if p.translate else p.name,
                    text=tr(p.text) if p.translate else p.text,
                    phone=p.phone,
                    hours=p.hours,
                    url=p.url,
                )
                for p in r.professionals
            ],
        )


class Assessment(AssessmentResult):
    """The API's answer: the scores, in a language, with the referrals to show."""

    language: str
    not_a_diagnosis: str
    referrals: Referrals


# --- Countries ----------------------------------------------------------------------


class Country(Body):
    code: str
    name: str


class CountryList(Body):
    countries: list[Country]
