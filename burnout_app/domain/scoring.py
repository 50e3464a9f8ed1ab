"""Scoring: answers in, an `Assessment` out. Pure functions, no Flask.

A dimension's score is the mean (or, when its file says so, the sum) of its
answered item values after reversal on each item's own response set, in the
instrument's own units, plus the same score as 0-100 of the score's range.
A dimension with fewer answers than its minimum is "not scored". Composites
(such as a total) are scored the same way over their items. Scores are always computed
here from answers; nothing accepts a score from outside.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .questionnaire import (
    CONCERN_ORDER,
    BandLevel,
    Composite,
    Concern,
    Dimension,
    Profile,
    Questionnaire,
)


class AnswerError(ValueError):
    """An answer names an unknown item or a value that is not on the scale."""

    def __init__(self, item_id: str, reason: str):
        self.item_id = item_id
        self.reason = reason
        super().__init__(f"{item_id}: {reason}")


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension | Composite
    """The dimension (or composite) scored."""
    items_answered: int
    items_total: int
    score: float | None
    """Mean or sum in the instrument's own units, or None when not scored."""
    score_100: float | None
    """The same score as 0-100 of the score's range, or None when not scored."""
    level: BandLevel | None

    @property
    def minimum(self) -> float:
        return self.dimension.minimum

    @property
    def maximum(self) -> float:
        return self.dimension.maximum

    @property
    def is_sum(self) -> bool:
        return self.dimension.is_sum

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def concern(self) -> Concern:
        return self.level.concern if self.level else "none"


@dataclass(frozen=True)
class Assessment:
    questionnaire: Questionnaire
    answers: tuple[tuple[str, float], ...]
    """The scored answers as given (before reversal), in questionnaire order."""
    dimensions: tuple[DimensionScore, ...]
    profile: Profile | None
    safety_answer: int | None
    safety_flag: bool
    composites: tuple[DimensionScore, ...] = ()

    @property
    def concern(self) -> Concern:
        """The highest concern of any band (dimensions and composites) or the profile."""
        concerns = [d.concern for d in (*self.dimensions, *self.composites)]
        if self.profile:
            concerns.append(self.profile.concern)
        return max(concerns, key=CONCERN_ORDER.__getitem__, default="none")

    def dimension(self, dimension_id: str) -> DimensionScore | None:
        return next((d for d in self.dimensions if d.dimension.id == dimension_id), None)

    @property
    def raised(self) -> tuple[DimensionScore, ...]:
        """Dimensions whose band carries some or high concern."""
        return tuple(d for d in self.dimensions if d.concern != "none")


def _number(item_id: str, raw: Any) -> float:
    if type(raw) is float and math.isfinite(raw):
        return raw  # the common case: already parsed by the web form
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise AnswerError(item_id, f"{raw!r} is not a number")
    try:
        value = float(raw)
    except (ValueError, OverflowError):  # OverflowError: an integer beyond any float
        raise AnswerError(item_id, f"{raw!r} is not a number") from None
    if not math.isfinite(value):
        raise AnswerError(item_id, f"{raw!r} is not a number")
    return value


def score_dimension(
    questionnaire: Questionnaire, dimension: Dimension | Composite, answers: Mapping[str, float]
) -> DimensionScore:
    """Score one dimension or composite from checked answers (item id to value)."""
    values = [item.counted(answers[item.id]) for item in dimension.items if item.id in answers]
    total = len(dimension.items)
    if not values or len(values) < dimension.min_count:
        return DimensionScore(dimension, len(values), total, None, None, None)
    score = math.fsum(values)
    if not dimension.is_sum:
        score /= len(values)
    lo, hi = dimension.minimum, dimension.maximum
    score_100 = (score - lo) / (hi - lo) * 100
    score_100 = min(100.0, max(0.0, score_100))
    return DimensionScore(
        dimension, len(values), total, score, score_100, dimension.bands.level_for(score)
    )


def check_answers(
    questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> tuple[dict[str, float], int | None]:
    """Split raw answers into scored item values and the safety answer, or raise `AnswerError`."""
    scored: dict[str, float] = {}
    safety_answer: int | None = None
    safety = questionnaire.safety
    for item_id, raw in answers.items():
        if raw is None:
            continue
        if safety and item_id == safety.id:
            value = _number(item_id, raw)
            if not value.is_integer() or safety.option_for(int(value)) is None:
                raise AnswerError(item_id, f"{raw!r} is not one of this question's options")
            safety_answer = int(value)
            continue
        item = questionnaire.item(item_id)
        if item is None:
            raise AnswerError(item_id, "unknown item id")
        value = _number(item_id, raw)
        if item.scale.option_for(value) is None:
            allowed = ", ".join(f"{o.value:g}" for o in item.scale.options)
            raise AnswerError(item_id, f"{raw!r} is not on the scale ({allowed})")
        scored[item_id] = value
    return scored, safety_answer


def assess(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Assessment:
    """Score answers (item id to value; missing items are unanswered) into an `Assessment`."""
    scored, safety_answer = check_answers(questionnaire, answers)
    dimensions = tuple(score_dimension(questionnaire, d, scored) for d in questionnaire.dimensions)
    composites = tuple(score_dimension(questionnaire, c, scored) for c in questionnaire.composites)
    levels = {d.dimension.id: (d.level.id if d.level else None) for d in (*dimensions, *composites)}
    profile = None
    if all(d.scored for d in dimensions):
        profile = next((p for p in questionnaire.profiles if p.matches(levels)), None)
    safety_flag = False
    if questionnaire.safety and safety_answer is not None:
        option = questionnaire.safety.option_for(safety_answer)
        safety_flag = bool(option and option.flag)
    ordered = tuple((i.id, scored[i.id]) for i in questionnaire.items if i.id in scored)
    return Assessment(
        questionnaire, ordered, dimensions, profile, safety_answer, safety_flag, composites
    )


def assessment_to_dict(assessment: Assessment) -> dict[str, Any]:
    """A JSON-ready view of an Assessment (English msgids, not translated): the API's scores."""
    from .bodies import AssessmentResult

    return AssessmentResult.of(assessment).model_dump(mode="json")
