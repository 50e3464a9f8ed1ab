"""The scoring engine: exact results on known instruments, and properties over all answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burnout_app.domain.questionnaire import load_questionnaire, parse_questionnaire
from burnout_app.domain.scoring import AnswerError, assess, assessment_to_dict

REPO = Path(__file__).resolve().parent.parent
FULL = load_questionnaire(REPO / "questionnaires" / "burnout-self-check.yaml")
CHECK_IN = load_questionnaire(REPO / "questionnaires" / "burnout-check-in.yaml")


def instrument(values, labels=None, items=None, levels=None, min_answered=0.5):
    """A one-dimension instrument on the given option values."""
    items = items or [{"id": "q1", "text": "t"}, {"id": "q2", "text": "t"}]
    levels = levels or [{"id": "all", "label": "All", "concern": "none", "meaning": "m"}]
    return parse_questionnaire(
        {
            "id": "test",
            "version": "1",
            "title": "T",
            "introduction": "I",
            "prompt": "P",
            "scale": {
                "options": [{"value": v, "label": (labels or {}).get(v, str(v))} for v in values]
            },
            "scoring": {"min_answered": min_answered},
            "dimensions": [
                {
                    "id": "d",
                    "name": "D",
                    "description": "d",
                    "items": items,
                    "bands": {"source": "s", "levels": levels},
                }
            ],
        },
        "test.yaml",
    )


def test_hundred_to_zero_scale_with_reverse_item_is_plain_mean():
    # Instruments on a 100/75/50/25/0 scale score as the plain mean of item
    # values, with a reverse-keyed item turned round first (100 <-> 0, 75 <-> 25).
    q = instrument(
        [100, 75, 50, 25, 0],
        items=[
            {"id": "a", "text": "t"},
            {"id": "b", "text": "t"},
            {"id": "c", "text": "t"},
            {"id": "r", "text": "t", "reverse": True},
        ],
    )
    result = assess(q, {"a": 100, "b": 75, "c": 25, "r": 25}).dimensions[0]
    assert result.score == pytest.approx((100 + 75 + 25 + 75) / 4)
    # On a 0..100 scale the native and 0-100 scores coincide.
    assert result.score_100 == pytest.approx(result.score)
    assert result.items_answered == 4


def test_one_to_five_scale_native_mean():
    q = instrument([1, 2, 3, 4, 5], items=[{"id": "a", "text": "t"}, {"id": "b", "text": "t"}])
    result = assess(q, {"a": 2, "b": 5}).dimensions[0]
    assert result.score == pytest.approx(3.5)
    assert result.score_100 == pytest.approx(62.5)


def test_one_to_five_reverse_is_min_plus_max_minus_value():
    q = instrument([1, 2, 3, 4, 5], items=[{"id": "r", "text": "t", "reverse": True}])
    assert assess(q, {"r": 2}).dimensions[0].score == 4


def test_uneven_spacing():
    q = instrument([0, 1, 5, 10])
    assert assess(q, {"q1": 10, "q2": 5}).dimensions[0].score_100 == pytest.approx(75)


def test_bands_in_native_units():
    levels = [
        {"id": "low", "label": "L", "concern": "none", "meaning": "m"},
        {"id": "mid", "label": "M", "from": 2.5, "concern": "some", "meaning": "m"},
        {"id": "high", "label": "H", "from": 4, "concern": "high", "meaning": "m"},
    ]
    q = instrument([1, 2, 3, 4, 5], levels=levels)
    assert assess(q, {"q1": 2, "q2": 2}).dimensions[0].level.id == "low"
    assert assess(q, {"q1": 2, "q2": 3}).dimensions[0].level.id == "mid"  # exactly 2.5
    assert assess(q, {"q1": 4, "q2": 4}).dimensions[0].level.id == "high"


def test_threshold_reached_despite_float_rounding():
    # 0.1 + 0.2 is 0.30000000000000004 in floats; the band edge must still hold.
    levels = [
        {"id": "low", "label": "L", "concern": "none", "meaning": "m"},
        {"id": "high", "label": "H", "from": 0.15, "concern": "high", "meaning": "m"},
    ]
    q = instrument([0, 0.1, 0.2], levels=levels)
    assert assess(q, {"q1": 0.1, "q2": 0.2}).dimensions[0].level.id == "high"


def test_below_minimum_share_is_not_scored():
    answers = {"ex_nothing_left": 6, "ex_wake_tired": 6, "ex_no_recovery": 6}  # 3 of 6
    result = assess(FULL, answers).dimension("exhaustion")
    assert not result.scored
    assert result.score is None and result.level is None
    assert result.items_answered == 3
    four = assess(FULL, {**answers, "ex_routine_effort": 6}).dimension("exhaustion")
    assert four.scored and four.score == 6


def all_answers(q, value):
    return {i.id: value for i in q.items}


def test_full_questionnaire_reversal_cancels_out():
    # All items answered 6: normally keyed ones count 6, reversed ones 0.
    result = assess(FULL, all_answers(FULL, 6))
    ex = result.dimension("exhaustion")
    assert ex.score == pytest.approx((4 * 6 + 2 * 0) / 6)


def test_profile_burnout_and_engaged():
    worst = {i.id: (0 if i.reverse else 6) for i in FULL.items}
    best = {i.id: (6 if i.reverse else 0) for i in FULL.items}
    assert assess(FULL, worst).profile.id == "burnout"
    assert assess(FULL, worst).concern == "high"
    assert assess(FULL, best).profile.id == "engaged"
    assert assess(FULL, best).concern == "none"


def test_profile_overextended():
    answers = {
        i.id: (
            (0 if i.reverse else 6) if i.dimension_id == "exhaustion" else (6 if i.reverse else 0)
        )
        for i in FULL.items
    }
    assert assess(FULL, answers).profile.id == "overextended"


def test_no_profile_when_a_dimension_is_not_scored():
    assert assess(FULL, {"ex_nothing_left": 6}).profile is None


def test_safety_flag():
    assert assess(FULL, {"safety_thoughts": 1}).safety_flag is True
    assert assess(FULL, {"safety_thoughts": 0}).safety_flag is False
    assert assess(FULL, {"safety_thoughts": 2}).safety_flag is False
    assert assess(FULL, {}).safety_flag is False


def test_safety_item_is_not_scored():
    base = all_answers(FULL, 3)
    assert (
        assess(FULL, {**base, "safety_thoughts": 1}).dimensions
        == assess(FULL, {**base, "safety_thoughts": 0}).dimensions
    )


@pytest.mark.parametrize(
    ("answers", "item", "reason"),
    [
        ({"nope": 1}, "nope", "unknown item id"),
        ({"ex_wake_tired": 7}, "ex_wake_tired", "7 is not on the scale (0, 1, 2, 3, 4, 5, 6)"),
        ({"ex_wake_tired": 2.5}, "ex_wake_tired", "2.5 is not on the scale"),
        ({"ex_wake_tired": "x"}, "ex_wake_tired", "'x' is not a number"),
        ({"ex_wake_tired": True}, "ex_wake_tired", "True is not a number"),
        ({"ex_wake_tired": float("nan")}, "ex_wake_tired", "nan is not a number"),
        ({"safety_thoughts": 5}, "safety_thoughts", "5 is not one of this question's options"),
    ],
)
def test_bad_answers_name_the_item(answers, item, reason):
    with pytest.raises(AnswerError) as info:
        assess(FULL, answers)
    assert info.value.item_id == item
    assert reason in str(info.value)
    assert str(info.value).startswith(f"{item}: ")


def test_string_values_from_forms_are_accepted():
    assert assess(FULL, {"ex_wake_tired": "4"}).answers == (("ex_wake_tired", 4.0),)


def test_assessment_to_dict():
    data = assessment_to_dict(assess(CHECK_IN, all_answers(CHECK_IN, 6)))
    assert data["questionnaire"] == {"id": "burnout-check-in", "version": "1.0"}
    ex = data["dimensions"][0]
    assert ex["score"] == 3.0 and ex["score_100"] == 50.0
    assert ex["band"]["id"] == "moderate"


# --- properties -----------------------------------------------------------------

SCALES = [
    [0, 1, 2, 3, 4, 5, 6],
    [1, 2, 3, 4, 5],
    [100, 75, 50, 25, 0],
    [-2, 0, 0.5, 7],
]


@st.composite
def instrument_and_answers(draw):
    values = draw(st.sampled_from(SCALES))
    n_items = draw(st.integers(1, 6))
    reverse = draw(st.lists(st.booleans(), min_size=n_items, max_size=n_items))
    items = [{"id": f"i{k}", "text": "t", "reverse": r} for k, r in enumerate(reverse)]
    q = instrument(values, items=items, min_answered=0.01)
    answered = draw(st.lists(st.sampled_from([i["id"] for i in items]), unique=True, min_size=1))
    answers = {i: draw(st.sampled_from(values)) for i in answered}
    return q, answers


@settings(max_examples=300, deadline=None)
@given(instrument_and_answers())
def test_scores_stay_within_the_scale(case):
    q, answers = case
    d = assess(q, answers).dimensions[0]
    assert q.scale.minimum - 1e-9 <= d.score <= q.scale.maximum + 1e-9
    assert 0 <= d.score_100 <= 100


@settings(max_examples=300, deadline=None)
@given(instrument_and_answers(), st.data())
def test_raising_an_answer_moves_the_score_the_keyed_way(case, data):
    q, answers = case
    item_id = data.draw(st.sampled_from(sorted(answers)))
    values = sorted(o.value for o in q.scale.options)
    current = answers[item_id]
    higher = [v for v in values if v > current]
    if not higher:
        return
    raised = {**answers, item_id: data.draw(st.sampled_from(higher))}
    before = assess(q, answers).dimensions[0].score
    after = assess(q, raised).dimensions[0].score
    if q.item(item_id).reverse:
        assert after <= before + 1e-9
    else:
        assert after >= before - 1e-9


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from([i.id for i in FULL.items]), st.integers(0, 6), min_size=1),
    st.randoms(use_true_random=False),
)
def test_answer_order_does_not_matter(answers, rnd):
    pairs = list(answers.items())
    rnd.shuffle(pairs)
    shuffled = dict(pairs)
    assert assess(FULL, answers) == assess(FULL, shuffled)
