"""The burnout-app command: validate and score."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from burnout_app.cli import main

REPO = Path(__file__).resolve().parent.parent
FULL = REPO / "questionnaires" / "burnout-self-check.yaml"


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_validate_shipped_files():
    result = run("validate", *sorted((REPO / "questionnaires").glob("*.yaml")))
    assert result.exit_code == 0, result.output
    assert "ok" in result.output and "burnout-self-check 1.0, 18 items" in result.output


def test_validate_defaults_to_installed_files():
    result = run("validate")
    assert result.exit_code == 0
    assert "burnout-check-in" in result.output


def test_validate_bad_file_exits_nonzero_with_lines(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = FULL.read_text("utf-8").replace("id: cy_motions", "id: ex_wake_tired", 1)
    bad.write_text(text, "utf-8")
    result = run("validate", bad)
    assert result.exit_code == 1
    assert f"{bad}: dimensions[1].items[1].id: duplicate item id 'ex_wake_tired'" in result.output
    assert "Traceback" not in result.output


def test_validate_malformed_yaml(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [\n", "utf-8")
    result = run("validate", bad)
    assert result.exit_code == 1
    assert "malformed YAML" in result.output


def test_validate_missing_file(tmp_path):
    result = run("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "cannot read file" in result.output


def test_score_prints_assessment(tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"ex_nothing_left": 6, "ex_energy_for_day": 0}), "utf-8")
    check_in = REPO / "questionnaires" / "burnout-check-in.yaml"
    result = run("score", check_in, "--answers", answers)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    ex = data["dimensions"][0]
    assert ex["score"] == 6 and ex["band"]["id"] == "high"
    assert data["dimensions"][1]["scored"] is False


def test_score_bad_answer_names_item(tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"ex_wake_tired": 9}), "utf-8")
    result = run("score", FULL, "--answers", answers)
    assert result.exit_code == 1
    assert "ex_wake_tired: 9 is not on the scale" in result.output
    assert "Traceback" not in result.output


def test_validate_checks_the_referral_data(tmp_path):
    import shutil

    result = run("validate")
    assert "routes to licensed professionals" in result.output
    folder = tmp_path / "referrals"
    shutil.copytree(REPO / "referrals", folder)
    path = folder / "crisis-lines.yaml"
    text = path.read_text("utf-8")
    text = text.replace("kind: primary_care", "kind: pharmacy", 1)
    text = text.replace("free: true", "free: maybe", 1)
    path.write_text(text, "utf-8")
    result = run("validate", "--referrals", folder)
    assert result.exit_code == 1
    assert f"{path}: countries.US.professionals[0].kind: must be one of" in result.output
    assert f"{path}: countries.US.lines[0].free: must be a boolean" in result.output
    assert "Traceback" not in result.output


def test_score_prints_the_same_scores_as_the_api(tmp_path):
    from burnout_app.app import create_app

    check_in = REPO / "questionnaires" / "burnout-check-in.yaml"
    given = {"ex_nothing_left": 6, "ex_energy_for_day": 5, "cy_motions": 1}
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(given), "utf-8")
    printed = json.loads(run("score", check_in, "--answers", answers).output)
    api = create_app({"SECRET_KEY": "cli"}).test_client()
    served = api.post(
        "/api/v1/questionnaires/burnout-check-in/assessments", json={"answers": given}
    ).json
    assert printed["dimensions"][0]["scored"] is True
    # One model writes both: the CLI prints the API's scores, without the referrals.
    assert printed == {key: served[key] for key in printed}
    assert set(served) - set(printed) == {"language", "not_a_diagnosis", "referrals"}


@pytest.mark.parametrize("content", ["[]", "null", "3", "{not json"])
def test_score_and_summary_refuse_answers_that_are_not_an_object(tmp_path, content):
    answers = tmp_path / "answers.json"
    answers.write_text(content)
    commands = [
        ["score", str(FULL), "--answers", str(answers)],
        ["summary", "--answers", str(answers), "-o", str(tmp_path / "s.pdf")],
    ]
    for command in commands:
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"{answers}: " in result.output and "Traceback" not in result.output
