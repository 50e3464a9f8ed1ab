"""The ``burnout-app`` command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .domain.content import ContentError
from .domain.questionnaire import load_questionnaire, load_questionnaires, questionnaire_files
from .domain.scoring import AnswerError, assess, assessment_to_dict


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="burnout-app")
def main() -> None:
    """Burnout Self-Check: serve the app and manage its content."""


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check questionnaire files (default: the installed ones).

    Prints one line per problem, naming the file, the place in it and the rule
    it broke, and exits with status 1 if there is any.
    """
    paths = list(files) or questionnaire_files()
    try:
        found = load_questionnaires(paths)
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s) found.", err=True)
        sys.exit(1)
    for questionnaire in found.values():
        click.echo(
            f"ok  {questionnaire.source_file}: {questionnaire.id} {questionnaire.version}, "
            f"{len(questionnaire.items)} items in {len(questionnaire.dimensions)} dimensions"
        )


@main.command()
@click.argument("questionnaire", type=click.Path(path_type=Path))
@click.option(
    "--answers",
    "answers_file",
    required=True,
    type=click.Path(path_type=Path),
    help='JSON file mapping item ids to values, for example {"ex_wake_tired": 3}.',
)
def score(questionnaire: Path, answers_file: Path) -> None:
    """Score a JSON file of answers and print the Assessment as JSON."""
    try:
        model = load_questionnaire(questionnaire)
    except ContentError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        answers = json.loads(answers_file.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{answers_file}: cannot read answers: {exc}") from None
    if not isinstance(answers, dict):
        raise click.ClickException(f"{answers_file}: answers must be a JSON object")
    try:
        assessment = assess(model, answers)
    except AnswerError as exc:
        raise click.ClickException(f"{answers_file}: {exc}") from None
    click.echo(json.dumps(assessment_to_dict(assessment), indent=2, ensure_ascii=False))
