"""The ``burnout-app`` command."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click
from flask import current_app, g
from flask.cli import AppGroup, ScriptInfo

from .domain.content import ContentError, package_content_dir
from .domain.questionnaire import load_questionnaire
from .domain.referrals import stale_entries
from .domain.scoring import AnswerError, assess, assessment_to_dict


def _offline_app():
    """The app for commands that sign no forms (a throwaway key); bad content or settings
    are an error."""
    from .app import create_app

    try:
        return create_app({"SECRET_KEY": os.urandom(16).hex()})
    except (ContentError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None


@click.group(cls=AppGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="burnout-app")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Burnout Self-Check: serve the app and manage its content."""
    # Flask runs each command in an app context from this factory (AppGroup), building
    # the app only then: commands marked with_appcontext=False work without it.
    ctx.obj = ScriptInfo(create_app=_offline_app)


@main.command(with_appcontext=False)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--referrals",
    "referrals_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Referral folder to check (default: BURNOUT_REFERRALS_DIR, else the installed one).",
)
@click.option(
    "--max-age-days",
    default=365,
    show_default=True,
    type=click.IntRange(min=0),
    help="Warn about every crisis line or route verified longer ago than this.",
)
@click.option("--strict", is_flag=True, help="Treat those warnings as failures (exit 1).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
def validate(
    files: tuple[Path, ...],
    referrals_dir: Path | None,
    max_age_days: int,
    strict: bool,
    today: dt.datetime | None,
) -> None:
    """Check what the app would load: questionnaires, referrals, portals and catalogs.

    Honours every BURNOUT_*_DIR setting; FILES replace the questionnaire folder.
    Everything is held to the content policy (see the README). Prints one line
    per problem, naming the file, the place in it, the word or host and the rule,
    and exits with status 1 if there is any. Hosts that portals declare for their
    own links are listed for a person to review. Crisis lines and routes whose
    `verified` date is older than --max-age-days are warnings (failures with
    --strict), so that time passing alone never fails a build.
    """
    from . import i18n
    from .app import configured_app
    from .content_store import load_content

    try:
        app = configured_app({"REFERRALS_DIR": str(referrals_dir)} if referrals_dir else None)
        store = load_content(
            app.config, app.instance_path, i18n.locales(), list(files) if files else None
        )
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s) found.", err=True)
        sys.exit(1)
    except ValueError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    referrals = store.referrals
    folder = Path(app.config["REFERRALS_DIR"] or package_content_dir("referrals"))
    stale = stale_entries(referrals, (today or dt.datetime.now()).date(), max_age_days)
    for entry in stale:
        click.echo(
            f"{'error' if strict else 'warning'}: {folder / 'crisis-lines.yaml'}: {entry.place}: "
            f"{entry.name}: verified {entry.verified.isoformat()}, {entry.age_days} days ago "
            f"(more than {max_age_days}); check it against its source",
            err=True,
        )
    if stale and strict:
        click.echo(f"{len(stale)} stale entry(ies) found (--strict).", err=True)
        sys.exit(1)
    entries = referrals.countries.values()
    click.echo(
        f"ok  referrals: {len(referrals.countries)} countries, "
        f"{sum(len(e.lines) for e in entries)} crisis lines, "
        f"{sum(len(e.professionals) for e in entries)} routes to licensed professionals, "
        f"{len(referrals.allowed_hosts)} allowed link hosts"
    )
    for questionnaire in store.questionnaires.values():
        extra = ""
        if questionnaire.composites:
            extra += f", {len(questionnaire.composites)} composite score(s)"
        if len(questionnaire.response_sets) > 1:
            extra += f", {len(questionnaire.response_sets)} response sets"
        click.echo(
            f"ok  {questionnaire.source_file}: {questionnaire.id} {questionnaire.version}, "
            f"{len(questionnaire.items)} items in {len(questionnaire.dimensions)} dimensions"
            + extra
        )
        for note in questionnaire.minimum_notes():
            click.echo(f"note  {questionnaire.source_file}: {note}")
    for found in store.portals.portals.values():
        click.echo(f"ok  {found.source_file}: portal {found.id}")
        for n, (host, reason) in enumerate(found.declared_hosts):
            click.echo(
                f"review  {found.source_file}: hosts[{n}]: {host!r} ({reason}): the portal's own "
                "link host, not on the reviewed allowlist; check that it is the portal's provider"
            )
    click.echo(f"ok  catalogs: {', '.join(i18n.locales())} hold no denied word")


@main.command(with_appcontext=False)
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
    answers = _read_answers(answers_file)
    try:
        assessment = assess(model, answers)
    except AnswerError as exc:
        raise click.ClickException(f"{answers_file}: {exc}") from None
    click.echo(json.dumps(assessment_to_dict(assessment), indent=2, ensure_ascii=False))


@main.command(with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    default=max(2, os.cpu_count() or 1),
    show_default="CPU count, at least 2",
    type=int,
    help="Worker processes (each serves many connections at once).",
)
@click.option(
    "--connections",
    default=1000,
    show_default=True,
    type=int,
    help="Connections one worker holds at once, slow or idle ones included.",
)
def serve(host: str, port: int, workers: int, connections: int) -> None:
    """Serve the app with gunicorn's gevent workers (waitress where gunicorn cannot run)."""
    from .serving import serve as run

    shown = "localhost" if host in {"127.0.0.1", "0.0.0.0", "::"} else host
    click.echo(f"Burnout Self-Check is running at http://{shown}:{port}/  (Ctrl+C stops it)")
    try:
        run(host, port, workers, connections)
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("content files are not valid; the app did not start") from None


def _read_answers(answers_file: Path) -> dict:
    """A JSON object of answers from a file, or one line saying what is wrong."""
    try:
        answers = json.loads(answers_file.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{answers_file}: cannot read answers: {exc}") from None
    if not isinstance(answers, dict):
        raise click.ClickException(f"{answers_file}: answers must be a JSON object")
    return answers


@main.command()
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(path_type=Path),
    help="JSON file mapping item ids to values.",
)
@click.option(
    "--sample",
    type=click.Choice(["high", "low"]),
    help="Instead of --answers: every answer at the high (or low) end of its scale.",
)
@click.option(
    "--questionnaire",
    "questionnaire_id",
    default=None,
    help="Questionnaire id (default: BURNOUT_DEFAULT_QUESTIONNAIRE).",
)
@click.option("--lang", default="en", show_default=True, help="Language of the summary.")
@click.option("--country", default=None, help="Country for crisis lines and paper size.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="PDF file to write.")
@click.option(
    "--html",
    "html_output",
    type=click.Path(path_type=Path),
    help="HTML file to write: the HTML the PDF is rendered from, CSS inlined, fonts as file: URLs.",
)
def summary(
    answers_file: Path | None,
    sample: str | None,
    questionnaire_id: str | None,
    lang: str,
    country: str | None,
    output: Path | None,
    html_output: Path | None,
) -> None:
    """Write the summary PDF (-o) or its HTML (--html) for a JSON file of answers or a sample."""
    from . import i18n
    from .pdf import render_pdf, standalone_html
    from .web import content
    from .web.country import OTHER, resolve_country
    from .web.summary import page_label_css, render_summary_html

    if (answers_file is None) == (sample is None):
        raise click.UsageError("give either --answers or --sample")
    if output is None and html_output is None:
        raise click.UsageError("give -o (a PDF), --html (its HTML) or both")
    store = content()
    model = store.questionnaire(questionnaire_id or store.default_questionnaire)
    if model is None:
        raise click.ClickException(f"no questionnaire {questionnaire_id!r}")
    locale = i18n.locale_from_url(lang)
    if locale is None:
        raise click.ClickException(
            f"no language {lang!r} (available: {', '.join(map(i18n.url_code, i18n.locales()))})"
        )
    if sample:
        high = sample == "high"  # reverse-keyed items at the other end
        answers = {
            item.id: item.scale.maximum if high != item.reverse else item.scale.minimum
            for item in model.items
        }
        if model.safety:  # the safety question answered "no"
            answers[model.safety.id] = next(o.value for o in model.safety.options if not o.flag)
    else:
        answers = _read_answers(answers_file)
    try:
        assess(model, answers)
    except (AnswerError, ValueError) as exc:
        raise click.ClickException(f"{answers_file or sample}: {exc}") from None
    g.locale = locale
    # No browser, so no language region: the locale's country, else the operator's.
    default = i18n.default_country(locale, configured=current_app.config["DEFAULT_COUNTRY"])
    chosen = resolve_country(country or default or OTHER)
    if chosen is None:
        raise click.ClickException(f"not a country code: {country!r}")
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    html = render_summary_html(model, answers, chosen, created)
    label = page_label_css()
    if html_output is not None:
        html_output.write_text(standalone_html(html, chosen, label), "utf-8")
        click.echo(f"wrote {html_output}")
    if output is not None:
        output.write_bytes(render_pdf(html, chosen, label))
        click.echo(f"wrote {output}")


# The catalogs are made before the app can start: no app context.
@main.group(cls=click.Group)
def translate() -> None:
    """Manage the translation catalogs in translations/ (see the README's Languages)."""


@translate.command("extract")
def translate_extract() -> None:
    """Extract messages from code, templates, questionnaires and referrals into messages.pot."""
    from . import translate as t

    click.echo(f"wrote {t.extract()}")


@translate.command("init")
@click.argument("locale")
def translate_init(locale: str) -> None:
    """Start a catalog for a new LOCALE (for example it or pt_BR)."""
    from . import translate as t

    t.init(locale)
    click.echo(f"created {t.translations_dir() / locale / 'LC_MESSAGES' / 'messages.po'}")


@translate.command("update")
def translate_update() -> None:
    """Merge messages.pot into every catalog (new messages start untranslated)."""
    from . import translate as t

    t.update()
    click.echo("updated the catalogs")


@translate.command("compile")
def translate_compile() -> None:
    """Compile every catalog (.po) into the .mo files the app reads."""
    from . import translate as t

    t.compile_catalogs()
    click.echo("compiled the catalogs")


@main.group()
def portal() -> None:
    """HR portals: see the README's Embedding guide."""


@portal.command("snippet")
@click.argument("portal_id")
@click.option(
    "--base-url",
    default="http://localhost:8000",
    show_default=True,
    help="The public address of this app, as the portal's visitors reach it.",
)
@click.option("--lang", default=None, help="Language code for the embedded pages.")
def portal_snippet(portal_id: str, base_url: str, lang: str | None) -> None:
    """Print the HTML a portal adds to its page: the script tag, or a plain iframe."""
    from html import escape

    from .web import content

    found = content().portals.get(portal_id)
    if found is None:
        raise click.ClickException(f"no portal {portal_id!r} in the instance folder")
    base = base_url.rstrip("/")
    path = f"/embed/{found.id}/" + (f"{lang}/" if lang else "")
    lang_attr = f' data-lang="{escape(lang)}"' if lang else ""
    click.echo(
        "<!-- With the script: as tall as the window, follows each step, "
        "fires burnout-self-check:completed -->"
    )
    click.echo("<div data-burnout-self-check></div>")
    click.echo(
        f'<script src="{escape(base)}/embed.js" data-portal="{escape(found.id)}"{lang_attr} async>'
        "</script>"
    )
    click.echo("")
    click.echo("<!-- Without script: a plain iframe -->")
    click.echo(
        f'<iframe src="{escape(base + path)}" title="Burnout self-check" '
        'width="100%" height="1000" referrerpolicy="no-referrer" loading="lazy"></iframe>'
    )
