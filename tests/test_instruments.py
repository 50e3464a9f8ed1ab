"""Bring your own instrument: four fixture instruments scored as their authors publish.

The fixtures (tests/fixtures/instruments/) have the structure and scoring of the
CBI, the BAT-12, the OLBI and a sum-scored 0-6 instrument, with placeholder items.
Every expected score here is worked out in this file from the published rules
(written out below as plain data and arithmetic with exact fractions), never by
asking the engine. The answers are random, complete and partial, and go through
the engine, the CLI, the JSON API, the web flow and the PDF; a FHIR client that
scores from the exported itemWeights must get the same scores.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse as FhirQuestionnaireResponse,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from schemathesis import GenerationMode
from schemathesis import openapi as schemathesis_openapi
from schemathesis.checks import CHECKS

from burnout_app.app import create_app
from burnout_app.cli import main
from burnout_app.domain.fhir import answers_from_response, response_resource
from burnout_app.domain.questionnaire import load_questionnaire
from burnout_app.domain.scoring import assess

from .conftest import SAME_ORIGIN, Flow, results_form_fields, visible_text

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instruments"


# --- The published rules, written out -------------------------------------------------


@dataclass(frozen=True)
class Score:
    items: tuple[str, ...]
    minimum: int
    """Answers needed for a score."""
    cuts: tuple[tuple[str, str], ...]
    """(lower bound as a decimal string, level id), lowest first; the first bound is unused."""
    total: bool = False
    """True: the sum of the answered items; False: their mean."""


@dataclass(frozen=True)
class Rules:
    file: str
    values: dict[str, tuple[int, ...]]
    """Item id to the values its response set allows."""
    reversed_: frozenset[str]
    reverse: object
    """value -> counted value, for reversed items."""
    scores: dict[str, Score]
    composites: dict[str, Score] = field(default_factory=dict)


def ids(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{k}" for k in range(1, n + 1))


# CBI: 100/75/50/25/0 on both the frequency and the intensity set; the one
# reversed item counts 100 - value; a subscale is the mean of its answered items,
# scored when at least half are answered (3 of 6; 4 of 7, half rounded up).
CBI_VALUES = (100, 75, 50, 25, 0)
CBI_CUTS = (("0", "low"), ("50", "moderate"), ("75", "high"))
CBI = Rules(
    file="placeholder-cbi.yaml",
    values={i: CBI_VALUES for i in (*ids("pa", 6), *ids("wb", 7), *ids("cb", 6))},
    reversed_=frozenset({"wb7"}),
    reverse=lambda v: 100 - v,
    scores={
        "personal": Score(ids("pa", 6), 3, CBI_CUTS),
        "work": Score(ids("wb", 7), 4, CBI_CUTS),
        "client": Score(ids("cb", 6), 3, CBI_CUTS),
    },
)

# BAT-12: 1-5, four subscales of three items (mean, here 2 of 3 needed), and a
# total = the mean of all twelve items (here 9 of 12 needed), banded on its own.
BAT_SUB = (("1", "low"), ("3.1", "raised"), ("3.6", "high"))
BAT_ITEMS = {
    "exhaustion": ids("ex", 3),
    "distance": ids("md", 3),
    "emotional": ids("ei", 3),
    "cognitive": ids("ci", 3),
}
BAT = Rules(
    file="placeholder-bat12.yaml",
    values={i: (1, 2, 3, 4, 5) for items in BAT_ITEMS.values() for i in items},
    reversed_=frozenset(),
    reverse=lambda v: v,
    scores={name: Score(items, 2, BAT_SUB) for name, items in BAT_ITEMS.items()},
    composites={
        "total": Score(
            tuple(i for items in BAT_ITEMS.values() for i in items),
            9,
            (("1", "low"), ("2.59", "at_risk"), ("3.02", "very_high")),
        )
    },
)

# OLBI: 1-4, two subscales of eight items, the even-numbered half reversed as
# 5 - value, subscale = mean (here 4 of 8 needed).
OLBI = Rules(
    file="placeholder-olbi.yaml",
    values={i: (1, 2, 3, 4) for i in (*ids("ox", 8), *ids("od", 8))},
    reversed_=frozenset(f"{p}{k}" for p in ("ox", "od") for k in (2, 4, 6, 8)),
    reverse=lambda v: 5 - v,
    scores={
        "exhaustion": Score(ids("ox", 8), 4, (("1", "low"), ("2.25", "high"))),
        "disengagement": Score(ids("od", 8), 4, (("1", "low"), ("2.1", "high"))),
    },
)

# Sum-scored 0-6: three subscales scored as the sum of the answered items, with
# cut-offs on the sums. 'detached' states no count, so the file's share 0.67
# applies, rounded up: ceil(0.67 x 5) = ceil(3.35) = 4.
SUM06 = Rules(
    file="placeholder-sum06.yaml",
    values={i: tuple(range(7)) for i in (*ids("sd", 9), *ids("st", 5), *ids("sa", 8))},
    reversed_=frozenset(),
    reverse=lambda v: v,
    scores={
        "drained": Score(ids("sd", 9), 8, (("0", "low"), ("17", "moderate"), ("27", "high")), True),
        "detached": Score(ids("st", 5), 4, (("0", "low"), ("7", "moderate"), ("13", "high")), True),
        "achieving": Score(
            ids("sa", 8), 7, (("0", "low"), ("32", "moderate"), ("39", "high")), True
        ),
    },
)

ALL = {"cbi": CBI, "bat12": BAT, "olbi": OLBI, "sum06": SUM06}
QID = {name: f"placeholder-{name}" for name in ALL}


def counted(rules: Rules, item: str, value: int) -> int:
    return rules.reverse(value) if item in rules.reversed_ else value


def expected(rules: Rules, spec: Score, answers: dict[str, int]):
    """(score as a Fraction or None, level id or None, answered) by the published rule."""
    values = [counted(rules, i, answers[i]) for i in spec.items if i in answers]
    if len(values) < spec.minimum:
        return None, None, len(values)
    score = Fraction(sum(values)) if spec.total else Fraction(sum(values), len(values))
    level = spec.cuts[0][1]
    for bound, level_id in spec.cuts[1:]:
        if score >= Fraction(bound):
            level = level_id
    return score, level, len(values)


def expected_all(rules: Rules, answers: dict[str, int]):
    return {
        "dimensions": {k: expected(rules, s, answers) for k, s in rules.scores.items()},
        "composites": {k: expected(rules, s, answers) for k, s in rules.composites.items()},
    }


def answer_sets(rules: Rules, complete: bool | None = None):
    """Random answers: complete (every item) or partial (any item may be missing)."""
    items = sorted(rules.values)

    @st.composite
    def build(draw):
        whole = draw(st.booleans()) if complete is None else complete
        out = {}
        for item in items:
            if whole or draw(st.booleans()):
                out[item] = draw(st.sampled_from(rules.values[item]))
        return out

    return build()


def check_json_scores(rules: Rules, answers: dict[str, int], body: dict) -> None:
    """A JSON assessment (API or CLI) against the published arithmetic."""
    want = expected_all(rules, answers)
    for kind in ("dimensions", "composites"):
        got = {d["id"]: d for d in body[kind]}
        assert set(got) == set(want[kind])
        for name, (score, level, answered) in want[kind].items():
            entry = got[name]
            assert entry["items_answered"] == answered, (name, answers)
            if score is None:
                assert entry["scored"] is False and entry["score"] is None, (name, answers)
                assert entry["band"] is None
            else:
                assert entry["scored"] is True, (name, answers)
                assert entry["score"] == pytest.approx(float(score), abs=1e-4), (name, answers)
                assert entry["band"]["id"] == level, (name, answers, float(score))


# --- The app, loading the fixtures next to the shipped questionnaires -----------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("questionnaires")
    for f in (*FIXTURES.glob("*.yaml"), *(REPO / "questionnaires").glob("*.yaml")):
        shutil.copy(f, path / f.name)
    return path


@pytest.fixture(scope="module")
def app(folder):
    return create_app(
        {"SECRET_KEY": "instruments", "TESTING": True, "QUESTIONNAIRES_DIR": str(folder)}
    )


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


MODELS = {name: load_questionnaire(FIXTURES / rules.file) for name, rules in ALL.items()}
FAST = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
SOME = settings(
    max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


# --- The OpenAPI document describes sums and composites exactly ----------------------

_FOLDER = Path(tempfile.mkdtemp(prefix="instruments-"))
for _f in (*FIXTURES.glob("*.yaml"), *(REPO / "questionnaires").glob("*.yaml")):
    shutil.copy(_f, _FOLDER / _f.name)
FUZZ_APP = create_app({"SECRET_KEY": "fuzz", "QUESTIONNAIRES_DIR": str(_FOLDER)})
SCHEMA = schemathesis_openapi.from_wsgi("/api/v1/openapi.json", FUZZ_APP)
FUZZ = {
    f"{op.method.upper()} {op.path}": op
    for op in (r.ok() for r in SCHEMA.get_all_operations())
    if "placeholder-" in op.path or op.path.endswith("{questionnaire_id}")
}


def test_every_fixture_has_its_own_assessment_operation():
    assert sorted(FUZZ) == [
        "GET /api/v1/questionnaires/{questionnaire_id}",
        *(f"POST /api/v1/questionnaires/{QID[n]}/assessments" for n in sorted(ALL)),
    ]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("operation", sorted(FUZZ))
def test_api_with_fixtures_conforms_to_its_openapi_document(operation, mode):
    strategy = FUZZ[operation].as_strategy(generation_mode=mode)

    @given(case=strategy)
    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case):
        case.call_and_validate(checks=CHECKS.get_all())

    run()


# --- Validation ----------------------------------------------------------------------


def test_fixtures_validate_through_the_cli():
    files = [str(FIXTURES / r.file) for r in ALL.values()]
    result = CliRunner().invoke(main, ["validate", *files])
    assert result.exit_code == 0, result.output
    assert "placeholder-bat12 fixture-1, 12 items in 4 dimensions, 1 composite score(s)" in (
        result.output
    )
    assert "placeholder-cbi fixture-1, 19 items in 3 dimensions, 2 response sets" in result.output


def test_fixtures_hold_only_placeholder_items():
    for model in MODELS.values():
        for item in model.items:
            assert re.fullmatch(r"Placeholder item \d+", item.text), item.text


def test_models_carry_the_published_structure():
    cbi = MODELS["cbi"]
    assert cbi.item("wb1").scale.option_for(100).label == "To a very high degree"
    assert cbi.item("wb4").scale.option_for(0).label == "Never/almost never"
    assert [i.id for i in cbi.items if i.reverse] == ["wb7"]
    assert [d.min_count for d in cbi.dimensions] == [3, 4, 3]
    assert [(d.minimum, d.maximum) for d in MODELS["sum06"].dimensions] == [
        (0, 54),
        (0, 30),
        (0, 48),
    ]
    assert MODELS["bat12"].composite("total").maximum == 5


BROKEN = """\
id: broken
version: "1"
title: "T"
introduction: "I"
prompt: "P"
scale: {options: [{value: 0, label: "No"}, {value: 1, label: "Yes"}]}
response_sets:
  default: {options: [{value: 0, label: "A"}, {value: 1, label: "B"}]}
  twice: {options: [{value: 2, label: "A"}, {value: 2, label: "B"}]}
scoring: {min_answered: 0.5}
dimensions:
  - id: one
    name: "One"
    description: "d"
    aggregate: sum
    min_answered: 4
    items:
      - {id: a, text: "t"}
      - {id: b, text: "t", response_set: nope}
    bands:
      source: "s"
      levels:
        - {id: low, label: "Low", concern: none, meaning: "m"}
        - {id: high, label: "High", from: 3, concern: high, meaning: "m"}
composites:
  - id: one
    name: "Total"
    description: "d"
    dimensions: [one, two]
    items: [a, zz]
    min_answered: 5
    bands:
      source: "s"
      levels:
        - {id: low, label: "Low", concern: none, meaning: "m"}
  - id: nothing
    name: "Nothing"
    description: "d"
    bands: {source: "s", levels: [{id: low, label: "Low", concern: none, meaning: "m"}]}
"""


def test_validate_explains_every_new_rule_in_one_line_each(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, "utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(path))]
    # The schema pass stops first at the composite that names neither dimensions nor items.
    assert any("composites[1]" in line for line in lines), result.output
    path.write_text(BROKEN.split("  - id: nothing")[0], "utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(path))]
    want = [
        "response_sets.default: 'default' is the shared scale's name; give this set another name",
        "response_sets.twice.options[1].value: duplicate option value '2' (first at "
        "response_sets.twice.options[0].value)",
        "dimensions[0].items[1].response_set: unknown response set 'nope' (known: default, twice)",
        "composites[0].id: duplicate dimension or composite id 'one' (first at dimensions[0].id)",
        "dimensions[0].bands.levels[1].from: threshold 3 is above the sum maximum 2",
        "dimensions[0].min_answered: can never be met: 4 answers needed but the dimension "
        "has only 2 items",
        "composites[0].dimensions[1]: unknown dimension 'two' (known: one)",
        "composites[0].items[0]: item 'a' is already in the composite through its dimension",
        "composites[0].items[1]: unknown item 'zz'",
        "composites[0].min_answered: can never be met: 5 answers needed but the composite "
        "has only 2 items",
    ]
    for text in want:
        assert sum(line.endswith(text) for line in lines) == 1, (text, result.output)
    assert len(lines) == len(want), result.output


def test_validate_notes_a_share_that_silently_needs_every_item(tmp_path):
    text = (FIXTURES / "placeholder-bat12.yaml").read_text("utf-8")
    path = tmp_path / "share.yaml"
    # Without its count, a three-item subscale falls back to the share 0.67:
    # ceil(0.67 x 3) = ceil(2.01) = 3, every item.
    path.write_text(
        text.replace("min_answered: 0.6", "min_answered: 0.67").replace(
            "    min_answered: 2\n", "", 1
        ),
        "utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("note")]
    assert notes == [
        f"note  {path}: dimensions[0] (exhaustion): scoring.min_answered 0.67 of 3 items "
        "rounds up to all 3; state min_answered (a count) if fewer answers may be scored"
    ]
    assert load_questionnaire(path).dimension("exhaustion").min_count == 3


def test_a_threshold_above_a_sums_maximum_is_refused(tmp_path):
    text = (FIXTURES / "placeholder-sum06.yaml").read_text("utf-8")
    path = tmp_path / "over.yaml"
    path.write_text(text.replace("from: 27,", "from: 55,"), "utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "dimensions[0].bands.levels[2].from: threshold 55 is above the sum maximum 54" in (
        result.output
    )


# --- Scores over random answers --------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALL))
def test_engine_scores_as_published(name):
    rules, model = ALL[name], MODELS[name]

    @FAST
    @given(answer_sets(rules))
    def run(answers):
        a = assess(model, answers)

        def shown(d):
            return {
                "id": d.dimension.id,
                "items_answered": d.items_answered,
                "scored": d.scored,
                "score": d.score,
                "band": d.level and {"id": d.level.id},
            }

        body = {
            "dimensions": [shown(d) for d in a.dimensions],
            "composites": [shown(c) for c in a.composites],
        }
        check_json_scores(rules, answers, body)

    run()


@pytest.mark.parametrize("name", sorted(ALL))
def test_api_scores_as_published(client, name):
    rules = ALL[name]

    @SOME
    @given(answer_sets(rules))
    def run(answers):
        response = client.post(
            f"/api/v1/questionnaires/{QID[name]}/assessments", json={"answers": answers}
        )
        assert response.status_code == 200, response.json
        check_json_scores(rules, answers, response.json)

    run()


@pytest.mark.parametrize("name", sorted(ALL))
def test_cli_scores_as_published(tmp_path, name):
    rules = ALL[name]
    answers_file = tmp_path / "answers.json"
    runner = CliRunner()

    @settings(max_examples=25, deadline=None, database=None)
    @given(answer_sets(rules))
    def run(answers):
        answers_file.write_text(json.dumps(answers), "utf-8")
        result = runner.invoke(
            main, ["score", str(FIXTURES / rules.file), "--answers", str(answers_file)]
        )
        assert result.exit_code == 0, result.output
        check_json_scores(rules, answers, json.loads(result.output))

    run()


def test_sum_partial_answers_are_summed_not_prorated():
    # 8 of 9 answered, all 3s: the hand-scored sum is 24 (moderate), where a
    # prorated mean (3.0 x 9 = 27) would read as high.
    answers = {i: 3 for i in ids("sd", 8)}
    drained = assess(MODELS["sum06"], answers).dimension("drained")
    assert drained.score == 24 and drained.level.id == "moderate"


def test_share_minimum_rounds_up():
    # detached: 5 items, share 0.67 -> 4 answers needed; 3 are not enough.
    model = MODELS["sum06"]
    assert not assess(model, {i: 6 for i in ids("st", 3)}).dimension("detached").scored
    assert assess(model, {i: 6 for i in ids("st", 4)}).dimension("detached").score == 24


# --- The web flow and the PDF ------------------------------------------------------------


def visible(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def sections(html: str) -> dict[str, str]:
    """Each result section (dimension or composite) by id, as visible text."""
    found = re.findall(
        r'<section class="dimension[^"]*" aria-labelledby="dim-(\w+)">(.*?)</section>', html, re.S
    )
    return {key: visible(body) for key, body in found}


def shown(value: Fraction) -> str:
    return f"{round(float(value), 1):g}"


def check_page(rules: Rules, model, answers: dict[str, int], html: str) -> None:
    found = sections(html)
    want = expected_all(rules, answers)
    specs = {**rules.scores, **rules.composites}
    for kind in ("dimensions", "composites"):
        for name, (score, level, answered) in want[kind].items():
            text = found[name]
            group = model.dimension(name) or model.composite(name)
            label = next(lvl.label for lvl in group.bands.levels if lvl.id == level)
            assert f"Level: {label}" in text, (name, text)
            spec = specs[name]
            if spec.total:
                lo = sum(min(rules.values[i]) for i in spec.items)
                hi = sum(max(rules.values[i]) for i in spec.items)
                words = f"Score: {shown(score)} (sum of {answered} answers, range {lo} to {hi})"
            else:
                lo = min(min(rules.values[i]) for i in spec.items)
                hi = max(max(rules.values[i]) for i in spec.items)
                words = f"Score: {shown(score)} on a scale from {lo} to {hi}"
            assert words in text, (name, words, text)
    if rules.composites:
        assert "Overall scores" in visible(html)
    else:
        assert "Overall scores" not in visible(html)
    reverse_note = "Some questions are worded the other way round and are counted in reverse."
    assert (reverse_note in visible(html)) == bool(rules.reversed_)


@pytest.mark.parametrize("name", sorted(ALL))
def test_web_flow_scores_as_published(client, name):
    rules, model = ALL[name], MODELS[name]

    @settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(answer_sets(rules, complete=True))
    def run(answers):
        response = Flow(client, model).complete(answers)
        check_page(rules, model, answers, response.get_data(as_text=True))

    run()


def test_pdf_shows_sums_composites_and_no_false_reversal_note(client):
    for name, answers in (
        ("sum06", {**{i: 3 for i in ids("sd", 9)}, **{i: 6 for i in ids("st", 5)}}),
        ("bat12", {i: 4 for i in BAT.values}),
    ):
        model = MODELS[name]
        complete = {i.id: answers.get(i.id, 0 if name == "sum06" else 1) for i in model.items}
        results = Flow(client, model).complete(complete)
        fields = {**results_form_fields(results.get_data(as_text=True)), "country": "GB"}
        response = client.post(f"/en/check/{model.id}/summary", data=fields, headers=SAME_ORIGIN)
        assert response.status_code == 200
        reader = PdfReader(io.BytesIO(response.data))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert "counted in reverse" not in text
        assert "not a diagnosis" in text
        if name == "sum06":
            # 9 x 3 = 27: high on a 0-54 sum; 5 x 6 = 30: high; 8 x 0 = 0: the lowest band.
            assert "Score: 27 (sum of 9 answers, range 0 to 54)" in text
            assert "Score: 30 (sum of 5 answers, range 0 to 30)" in text
            assert "Score: 0 (sum of 8 answers, range 0 to 48)" in text
        else:
            # Total: the mean of twelve 4s is 4, at or above 3.02: very high.
            assert "Overall scores" in text
            assert "Placeholder total" in text and "Very high" in text
            assert "Score: 4 on a scale from 1 to 5" in text


# --- FHIR ------------------------------------------------------------------------------


def fhir_client_scores(resource: dict, rules: Rules, answers: dict[str, int]) -> dict:
    """Score as a FHIR client would: weights from the exported Questionnaire only.

    The client knows the instrument's published aggregation (mean or sum, the
    minimum); the value each answer contributes is the option's itemWeight.
    """
    weights: dict[str, dict[str, float]] = {}
    for group in resource["item"]:
        for item in group["item"]:
            weights[item["linkId"]] = {
                option["valueCoding"]["code"]: next(
                    ext["valueDecimal"]
                    for ext in option["extension"]
                    if ext["url"] == "http://hl7.org/fhir/StructureDefinition/itemWeight"
                )
                for option in item["answerOption"]
            }
    out = {}
    for name, spec in {**rules.scores, **rules.composites}.items():
        values = [weights[i][f"{answers[i]:g}"] for i in spec.items if i in answers]
        if len(values) < spec.minimum:
            out[name] = None
        else:
            out[name] = math.fsum(values) if spec.total else math.fsum(values) / len(values)
    return out


@pytest.mark.parametrize("name", sorted(ALL))
def test_fhir_client_scoring_from_item_weights_gets_the_apps_scores(client, name):
    rules = ALL[name]
    resource = client.get(f"/fhir/Questionnaire/{QID[name]}").json
    # Scoring needs no single answer in these instruments, so none is required.
    assert not any(item["required"] for group in resource["item"] for item in group["item"])

    @SOME
    @given(answer_sets(rules))
    def run(answers):
        body = client.post(
            f"/api/v1/questionnaires/{QID[name]}/assessments", json={"answers": answers}
        ).json
        app_scores = {d["id"]: d["score"] for d in (*body["dimensions"], *body["composites"])}
        mine = fhir_client_scores(resource, rules, answers)
        assert set(mine) == set(app_scores)
        for key, value in mine.items():
            if value is None:
                assert app_scores[key] is None
            else:
                assert app_scores[key] == pytest.approx(value, abs=1e-4)

    run()


@pytest.mark.parametrize("name", sorted(ALL))
def test_fhir_resources_validate_and_responses_round_trip(client, name):
    rules, model = ALL[name], MODELS[name]
    FhirQuestionnaire.model_validate(client.get(f"/fhir/Questionnaire/{QID[name]}").json)

    @settings(max_examples=30, deadline=None, database=None)
    @given(answer_sets(rules))
    def run(answers):
        resource = response_resource(model, answers, "https://x.example", "en", dt.datetime.now())
        FhirQuestionnaireResponse.model_validate(resource)
        # An intensity item's answer is coded in its own set's system, with its own label.
        for group in resource["item"]:
            for item in group["item"]:
                if "answer" in item:
                    coding = item["answer"][0]["valueCoding"]
                    option = model.item(item["linkId"]).scale.option_for(float(coding["code"]))
                    assert coding["display"] == option.label
        assert assess(model, answers_from_response(model, resource)) == assess(model, answers)

    run()


def test_fhir_weights_are_reversed_on_reversed_items(client):
    resource = client.get("/fhir/Questionnaire/placeholder-olbi").json
    items = {i["linkId"]: i for group in resource["item"] for i in group["item"]}

    def weights(link):
        return [
            (o["valueCoding"]["code"], o["extension"][0]["valueDecimal"])
            for o in items[link]["answerOption"]
        ]

    assert weights("ox1") == [("1", 1), ("2", 2), ("3", 3), ("4", 4)]
    assert weights("ox2") == [("1", 4), ("2", 3), ("3", 2), ("4", 1)]
    cbi = client.get("/fhir/Questionnaire/placeholder-cbi").json
    wb7 = next(i for group in cbi["item"] for i in group["item"] if i["linkId"] == "wb7")
    assert [
        (o["valueCoding"]["code"], o["extension"][0]["valueDecimal"]) for o in wb7["answerOption"]
    ] == [("100", 0), ("75", 25), ("50", 50), ("25", 75), ("0", 100)]
    wb1 = next(i for group in cbi["item"] for i in group["item"] if i["linkId"] == "wb1")
    assert wb1["answerOption"][0]["valueCoding"]["display"] == "To a very high degree"


def test_fhir_required_only_where_scoring_needs_the_answer(client):
    check_in = client.get("/fhir/Questionnaire/burnout-check-in").json
    # Two-item dimensions that need both answers: every item is required.
    assert all(i["required"] for group in check_in["item"] for i in group["item"])
    full = client.get("/fhir/Questionnaire/burnout-self-check").json
    scored = [i for group in full["item"] if group["linkId"] != "safety" for i in group["item"]]
    # Four of six answers score a dimension, so no single item is needed.
    assert not any(i["required"] for i in scored)
    safety = next(group for group in full["item"] if group["linkId"] == "safety")
    assert safety["item"][0]["required"] is True


def test_sums_and_composites_are_translated(client):
    for name, lang, words in (
        ("sum06", "de", "(Summe aus 9 Antworten, Bereich 0 bis 54)"),
        ("sum06", "ar", "مجموع 9 من الإجابات"),
        ("bat12", "fr", "Scores d'ensemble"),
        ("bat12", "es", "Puntuaciones globales"),
    ):
        model = MODELS[name]
        answers = {i.id: i.scale.options[0].value for i in model.items}
        response = Flow(client, model, lang=lang).complete(answers)
        assert words in visible(response.get_data(as_text=True)), (name, lang)


def test_question_pages_offer_each_items_own_response_set(client):
    model = MODELS["cbi"]
    flow = Flow(client, model)
    page = flow.submit(flow.start(), {i: "50" for i in ids("pa", 6)}).get_data(as_text=True)

    def labels(item_id):
        block = re.search(rf'<fieldset id="{item_id}".*?</fieldset>', page, re.S).group(0)
        return re.findall(r'<span class="opt-words">([^<]+)</span>', block)

    assert labels("wb1") == [
        "To a very high degree",
        "To a high degree",
        "Somewhat",
        "To a low degree",
        "To a very low degree",
    ]
    assert labels("wb4") == ["Always", "Often", "Sometimes", "Seldom", "Never/almost never"]
    # A value from the other set is refused, not scored.
    flow_page = flow.start()
    response = flow.submit(flow_page, {**{i: "50" for i in ids("pa", 6)}, "wb1": "3"})
    assert response.status_code == 400


def test_profiles_may_name_composites(tmp_path):
    text = (FIXTURES / "placeholder-bat12.yaml").read_text("utf-8")
    profile = (
        "profiles_source: Placeholder.\n"
        "profiles:\n"
        "  - {id: overall_high, name: High overall, concern: high,"
        " when: {total: [very_high]}, description: Your answers suggest a high overall level.}\n"
    )
    path = tmp_path / "profiled.yaml"
    path.write_text(text + profile, "utf-8")
    model = load_questionnaire(path)
    assert assess(model, {i: 4 for i in BAT.values}).profile.id == "overall_high"
    assert assess(model, {i: 2 for i in BAT.values}).profile is None


# --- The shipped questionnaires keep their page ------------------------------------------


def test_shipped_results_keep_the_average_and_reversal_note(client):
    from .conftest import FULL, answers_for

    response = Flow(client, FULL).complete(answers_for(value=3))
    text = visible(response.get_data(as_text=True))
    assert "Each score is the average of your answers for that part, from 0 (Never) to 6" in text
    assert "Some questions are worded the other way round and are counted in reverse." in text
    assert "Overall scores" not in text
    assert "Score: 3 on a scale from 0 to 6." in text


# --- The worked example in docs/instruments.md -------------------------------------------


def test_worked_example_in_the_docs_scores_as_the_page_says(tmp_path):
    page = (REPO / "docs" / "instruments.md").read_text("utf-8")
    source = re.search(r"```yaml\n(.*?)```", page, re.S).group(1)
    answers = json.loads(re.search(r"```json\n(.*?)```", page, re.S).group(1))
    path = tmp_path / "example-two-part.yaml"
    path.write_text(source, "utf-8")
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0
    a = assess(load_questionnaire(path), answers)
    strain, load = a.dimension("strain"), a.dimension("load")
    total = a.composites[0]
    # The arithmetic the page shows, step by step.
    assert strain.score == pytest.approx((75 + 50 + (100 + 0 - 25)) / 3)
    assert strain.level.id == "raised"
    assert load.score == 100 + 75 + 50 and load.level.id == "high" and load.score_100 == 75
    assert load.dimension.min_count == math.ceil(0.5 * 3)
    assert total.score == pytest.approx(425 / 6) and total.level.id == "raised"
    quoted = "Score: 225 (sum of 3 answers, range 0 to 300)."
    assert quoted in " ".join(page.split())
    # ...and the rendered results page says what the docs quote.
    model = load_questionnaire(path)
    app = create_app(
        {
            "SECRET_KEY": "docs",
            "QUESTIONNAIRES_DIR": str(tmp_path),
            "DEFAULT_QUESTIONNAIRE": model.id,
        }
    )
    results = Flow(app.test_client(), model).complete(answers)
    assert quoted in visible_text(results.get_data(as_text=True))
