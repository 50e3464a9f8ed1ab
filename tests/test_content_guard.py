"""The content guard: what operators and translators add is held to the rule of what ships.

For each kind of content (questionnaire, referrals, portal, catalog) a hostile
copy, in more than one language, is refused by `burnout-app validate` (exit 1,
a line naming the file, the place, the word or host) and by start-up, with the
same lines.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from burnout_app.app import create_app
from burnout_app.cli import main
from burnout_app.domain import policy
from burnout_app.domain.content import ContentError
from burnout_app.domain.referrals import load_referrals

from .conftest import REPO, Flow, answers_for, visible_text
from .content_policy import denied_terms

DENIED = "names a medication or drug; the content policy refuses it"
NOT_REVIEWED = "is not on the reviewed allowlist (referrals/allowed-hosts.yaml)"
REFUSED = "is refused by the content policy"
NEWS_HOSTS = [
    "vice.com",
    "theshillongtimes.com",
    "wicklownow.ie",
    "www.domradio.de",
    "www.farodevigo.es",
    "www.omroeppenm.nl",
    "www.tpi.it",
    "limeira.sp.leg.br",
]
PORTAL = (Path(__file__).resolve().parent / "fixtures" / "portals").joinpath("acme.yaml")


def startup_lines(config: dict[str, str]) -> list[str]:
    """The problem lines with which start-up refuses this configuration."""
    with pytest.raises(ContentError) as info:
        create_app({"SECRET_KEY": "guard", **config})
    return [str(p) for p in info.value.problems]


def validate_lines(config: dict[str, str]) -> list[str]:
    """Run `burnout-app validate` with the settings as environment variables; it must fail."""
    env = {f"BURNOUT_{key}": value for key, value in config.items()}
    result = CliRunner().invoke(main, ["validate"], env=env)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[-1] == f"{len(lines) - 1} problem(s) found."
    return lines[:-1]


def assert_refused(config: dict[str, str], *expected: str) -> None:
    """validate and start-up refuse the content with the same lines, including ``expected``."""
    by_validate = validate_lines(config)
    at_startup = startup_lines(config)
    assert by_validate == at_startup
    for line in expected:
        assert line in by_validate, (line, by_validate)


@pytest.fixture
def no_portals(tmp_path) -> dict[str, str]:
    """Keep the checkout's own instance folder out of the picture."""
    empty = tmp_path / "no-portals"
    empty.mkdir()
    return {"PORTALS_DIR": str(empty)}


def copy_dir(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(REPO / name, target, ignore=shutil.ignore_patterns("*.pot"))
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


# --- questionnaires ---------------------------------------------------------

QUESTIONNAIRE_CASES = [
    (
        "en",
        "introduction: >-\n",
        "introduction: >-\n  Ketamine infusions and esketamine (Spravato) can help; book at "
        "https://buy-ketamine.example/clinic.\n",
        "introduction",
        ["Ketamine", "infusions", "esketamine", "Spravato"],
        "host 'buy-ketamine.example' " + REFUSED,
    ),
    (
        "es",
        'text: "When my working day ends, I feel I have nothing left to give."',
        'text: "Cuando acaba mi jornada, solo me ayudan las pastillas de ketamina."',
        "dimensions[0].items[0].text",
        ["pastillas", "ketamina"],
        None,
    ),
    (
        "ar",
        'name: "Exhaustion"',
        'name: "الإرهاق: جرّب مضادات الاكتئاب والكيتامين"',
        "dimensions[0].name",
        ["مضادات الاكتئاب", "كيتامين"],
        None,
    ),
]


@pytest.mark.parametrize(
    ("lang", "old", "new", "where", "words", "host_rule"),
    QUESTIONNAIRE_CASES,
    ids=[c[0] for c in QUESTIONNAIRE_CASES],
)
def test_hostile_questionnaire_is_refused(
    tmp_path, no_portals, lang, old, new, where, words, host_rule
):
    folder = copy_dir("questionnaires", tmp_path)
    file = folder / "burnout-check-in.yaml"
    replace_in(file, old, new)
    expected = [f"{file}: {where}: {word!r} {DENIED}" for word in words]
    if host_rule:
        expected.append(f"{file}: {where}: {host_rule}")
    assert_refused({"QUESTIONNAIRES_DIR": str(folder), **no_portals}, *expected)


def test_validate_files_are_checked_too(tmp_path):
    file = tmp_path / "q.yaml"
    text = (REPO / "questionnaires" / "burnout-check-in.yaml").read_text("utf-8")
    file.write_text(text.replace('title: "Burnout check-in"', 'title: "Xanax check-in"'), "utf-8")
    result = CliRunner().invoke(main, ["validate", str(file)])
    assert result.exit_code == 1
    assert f"{file}: title: 'Xanax' {DENIED}" in result.output


# --- referrals ----------------------------------------------------------------


def test_hostile_referral_guidance_and_crisis_lines_are_refused(tmp_path, no_portals):
    folder = copy_dir("referrals", tmp_path)
    guidance, crisis = folder / "guidance.yaml", folder / "crisis-lines.yaml"
    replace_in(
        guidance,
        "A good first step.",
        "A good first step. Ask for SSRIs such as sertraline, or CBD oil.",
    )
    replace_in(
        crisis,
        'description: "Confidential support for anyone in emotional distress or '
        'thinking about suicide."',
        'description: "Ketamine and psilocybin microdosing help."',
    )
    replace_in(crisis, "url: https://www.samaritans.org/", "url: https://vice.com/helpline")
    assert_refused(
        {"REFERRALS_DIR": str(folder), **no_portals},
        f"{guidance}: professionals[0].text: 'SSRIs' {DENIED}",
        f"{guidance}: professionals[0].text: 'sertraline' {DENIED}",
        f"{guidance}: professionals[0].text: 'CBD oil' {DENIED}",
        f"{crisis}: countries.US.lines[0].description: 'Ketamine' {DENIED}",
        f"{crisis}: countries.US.lines[0].description: 'psilocybin' {DENIED}",
        f"{crisis}: countries.US.lines[0].description: 'microdosing' {DENIED}",
        f"{crisis}: countries.GB.lines[0].url: host 'vice.com' {NOT_REVIEWED}",
    )


def test_hostile_referrals_in_spanish_and_german_are_refused(tmp_path, no_portals):
    folder = copy_dir("referrals", tmp_path)
    guidance = folder / "guidance.yaml"
    replace_in(
        guidance,
        "Check in with yourself again in a few months.",
        "Pide a tu médico antidepresivos o un somnífero.",
    )
    replace_in(
        guidance,
        "Keep regular sleep, meals and time outdoors, even in busy weeks.",
        "Gegen Stress helfen Baldrian und eine Ketamin-Infusion.",
    )
    assert_refused(
        {"REFERRALS_DIR": str(folder), **no_portals},
        f"{guidance}: self_care.general[2]: 'antidepresivos' {DENIED}",
        f"{guidance}: self_care.general[2]: 'somnífero' {DENIED}",
        f"{guidance}: self_care.general[1]: 'Baldrian' {DENIED}",
        f"{guidance}: self_care.general[1]: 'Ketamin' {DENIED}",
        f"{guidance}: self_care.general[1]: 'Infusion' {DENIED}",
    )


def test_allowlist_refuses_a_refused_host_even_with_a_reason(tmp_path, no_portals):
    folder = copy_dir("referrals", tmp_path)
    hosts = folder / "allowed-hosts.yaml"
    replace_in(
        hosts,
        "allowed_hosts:\n",
        'allowed_hosts:\n  buy-ketamine.example: "a clinic, honestly"\n',
    )
    assert_refused(
        {"REFERRALS_DIR": str(folder), **no_portals},
        f"{hosts}: allowed_hosts.buy-ketamine.example: host 'buy-ketamine.example' {REFUSED}",
    )


def test_the_allowlist_holds_no_news_site_and_gives_each_host_a_reason():
    data = yaml.safe_load((REPO / "referrals" / "allowed-hosts.yaml").read_text("utf-8"))
    hosts = data["allowed_hosts"]
    for news in NEWS_HOSTS:
        assert news not in hosts
        assert news.removeprefix("www.") not in hosts
    for host, reason in hosts.items():
        assert reason.strip(), host
        assert not any(word in host for word in ("news", "times", "radio", "tv")), host


def test_facts_keep_their_sources_but_sources_are_never_links(client):
    referrals = load_referrals()
    entries = referrals.countries.values()
    sources = {line.source for entry in entries for line in entry.lines}
    sources |= {route.source for entry in entries for route in entry.professionals}
    # Many facts are backed by pages that are not services (news, aggregators): they
    # are recorded, need no allowlist entry...
    unreviewed = {s for s in sources if not referrals.link_allowed(s)}
    assert len(unreviewed) >= 10
    assert not set(NEWS_HOSTS) & set(referrals.allowed_hosts)
    # ...and are never shown, on any country's crisis page.
    for code in referrals.countries:
        html = client.get(f"/en/crisis?country={code}").get_data(as_text=True)
        for source in unreviewed:
            assert source not in html, (code, source)


def test_a_source_on_a_refused_host_is_refused(tmp_path, no_portals):
    folder = copy_dir("referrals", tmp_path)
    crisis = folder / "crisis-lines.yaml"
    replace_in(
        crisis,
        "source: https://findahelpline.com/AU",
        "source: https://superwave.example/helplines",
    )
    assert_refused(
        {"REFERRALS_DIR": str(folder), **no_portals},
        f"{crisis}: fallback.directory.source: host 'superwave.example' {REFUSED}",
    )


# --- portals ------------------------------------------------------------------


class EmbeddedFlow(Flow):
    def start(self):
        return self.client.get(f"/embed/acme/{self.lang}/check/{self.q.id}/questions")


def write_portal(tmp_path: Path, resource: str, hosts: str = "") -> Path:
    folder = tmp_path / "portals"
    folder.mkdir()
    shutil.copy(PORTAL.with_name("acme-logo.png"), folder)
    text = PORTAL.read_text("utf-8").split("resources:")[0]
    (folder / "acme.yaml").write_text(text + hosts + "resources:\n" + resource, "utf-8")
    return folder


def test_hostile_portal_resource_is_refused(tmp_path):
    folder = write_portal(
        tmp_path,
        '  - id: eap\n    name: "Fast relief"\n'
        '    text: "Esketamine, Xanax and Adderall prescriptions, delivered."\n'
        "    url: https://buy-ketamine.example/order\n",
    )
    file = folder / "acme.yaml"
    assert_refused(
        {"PORTALS_DIR": str(folder)},
        f"{file}: resources[0].text: 'Esketamine' {DENIED}",
        f"{file}: resources[0].text: 'Xanax' {DENIED}",
        f"{file}: resources[0].text: 'Adderall' {DENIED}",
        f"{file}: resources[0].text: 'prescriptions' {DENIED}",
        f"{file}: resources[0].url: host 'buy-ketamine.example' {REFUSED}",
    )


def test_portal_cannot_declare_a_refused_host(tmp_path):
    folder = write_portal(
        tmp_path,
        '  - id: eap\n    name: "EAP"\n    text: "Talk to a counsellor."\n'
        "    url: https://buy-ketamine.example/order\n",
        hosts='hosts:\n  - host: buy-ketamine.example\n    reason: "our EAP provider"\n',
    )
    file = folder / "acme.yaml"
    assert_refused(
        {"PORTALS_DIR": str(folder)},
        f"{file}: hosts[0].host: host 'buy-ketamine.example' {REFUSED}",
        f"{file}: resources[0].url: host 'buy-ketamine.example' {REFUSED}",
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Asesoría gratuita y recetas de ansiolíticos sin cita.", ["ansiolíticos"]),
        ("Beratung und Medikamente gegen Stress, rezeptpflichtig.", ["Medikamente"]),
        ("استشارات مجانية ووصفة طبية للمهدئات", ["وصفة طبية", "مهدئات"]),
    ],
    ids=["es", "de", "ar"],
)
def test_hostile_portal_text_in_other_languages_is_refused(tmp_path, text, words):
    folder = write_portal(tmp_path, f'  - id: eap\n    name: "EAP"\n    text: "{text}"\n')
    file = folder / "acme.yaml"
    assert_refused(
        {"PORTALS_DIR": str(folder)},
        *[f"{file}: resources[0].text: {w!r} {DENIED}" for w in words],
    )


def test_undeclared_portal_host_is_refused(tmp_path):
    folder = write_portal(
        tmp_path,
        '  - id: eap\n    name: "EAP"\n    text: "Talk to a counsellor."\n'
        "    url: https://eap.provider.example/acme\n",
    )
    assert_refused(
        {"PORTALS_DIR": str(folder)},
        f"{folder / 'acme.yaml'}: resources[0].url: host 'eap.provider.example' {NOT_REVIEWED}",
    )


def test_declared_portal_host_is_accepted_listed_for_review_and_shown(tmp_path):
    folder = write_portal(
        tmp_path,
        '  - id: eap\n    name: "Acme EAP"\n    text: "Talk to a counsellor."\n'
        "    url: https://eap.provider.example/acme\n",
        hosts='hosts:\n  - host: eap.provider.example\n    reason: "Acme\'s EAP provider"\n',
    )
    result = CliRunner().invoke(main, ["validate"], env={"BURNOUT_PORTALS_DIR": str(folder)})
    assert result.exit_code == 0, result.output
    assert (
        f"review  {folder / 'acme.yaml'}: hosts[0]: 'eap.provider.example' (Acme's EAP provider)"
        in result.output
    )
    app = create_app({"SECRET_KEY": "guard", "PORTALS_DIR": str(folder)})
    results = EmbeddedFlow(app.test_client()).complete(answers_for(pattern="worst"))
    assert 'href="https://eap.provider.example/acme"' in results.get_data(as_text=True)


# --- catalogs -----------------------------------------------------------------


def hostile_catalogs(tmp_path: Path, locale: str, msgid: str, msgstr: str) -> Path:
    """A copy of the catalogs with one translation changed, compiled as the app reads them."""
    folder = copy_dir("translations", tmp_path)
    po = folder / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    catalog[msgid].string = msgstr
    # As a translator would: edit the .po, then compile it (start-up checks they agree).
    with po.open("wb") as handle:
        write_po(handle, catalog)
    with po.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)
    return folder


CATALOG_CASES = [
    ("es", "Psychiatrist", "Psiquiatra (ketamina y esketamina)", ["ketamina", "esketamina"]),
    ("de", "Psychiatrist", "Psychiater: Ketamin-Infusion", ["Ketamin", "Infusion"]),
    ("ar", "Psychiatrist", "طبيب نفسي يصف زاناكس", ["زاناكس"]),
    ("fr", "Psychiatrist", "Psychiatre (antidépresseurs, microdosage)", ["antidépresseurs"]),
]


@pytest.mark.parametrize(
    ("locale", "msgid", "msgstr", "words"), CATALOG_CASES, ids=[c[0] for c in CATALOG_CASES]
)
def test_hostile_catalog_is_refused(tmp_path, no_portals, locale, msgid, msgstr, words):
    folder = hostile_catalogs(tmp_path, locale, msgid, msgstr)
    mo = folder / locale / "LC_MESSAGES" / "messages.mo"
    assert_refused(
        {"TRANSLATIONS_DIR": str(folder), **no_portals},
        *[f"{mo}: msgid {msgid!r}: {w!r} {DENIED}" for w in words],
    )


def test_catalog_link_to_an_unreviewed_host_is_refused(tmp_path, no_portals):
    folder = hostile_catalogs(
        tmp_path, "pt_BR", "Psychiatrist", "Psiquiatra (veja https://example.org/x)"
    )
    mo = folder / "pt_BR" / "LC_MESSAGES" / "messages.mo"
    assert_refused(
        {"TRANSLATIONS_DIR": str(folder), **no_portals},
        f"{mo}: msgid 'Psychiatrist': host 'example.org' {NOT_REVIEWED}",
    )


def test_a_clean_catalog_copy_is_used_by_the_app(tmp_path):
    folder = hostile_catalogs(tmp_path, "es", "Psychiatrist", "Especialista en psiquiatría")
    client = create_app({"SECRET_KEY": "guard", "TRANSLATIONS_DIR": str(folder)}).test_client()
    results = Flow(client, lang="es").complete(answers_for(pattern="worst"))
    assert "Especialista en psiquiatría" in visible_text(results.get_data(as_text=True))


@pytest.mark.parametrize(
    ("msgid", "shown_by"),
    [("Professional help", "a template's _()"), ("Exhaustion", "the |tr filter")],
)
def test_markup_in_a_catalog_is_shown_as_text(tmp_path, msgid, shown_by):
    """A translation is text: markup an operator's catalog holds is escaped, never run."""
    folder = hostile_catalogs(tmp_path, "es", msgid, 'Texto <b onclick="x()">negrita</b> & más')
    client = create_app({"SECRET_KEY": "guard", "TRANSLATIONS_DIR": str(folder)}).test_client()
    html = Flow(client, lang="es").complete(answers_for(pattern="worst")).get_data(as_text=True)
    assert "Texto &lt;b onclick=&#34;x()&#34;&gt;negrita&lt;/b&gt; &amp; más" in html, shown_by
    assert "<b onclick" not in html


def test_shipped_po_files_hold_no_denied_word():
    for po in sorted(REPO.glob("translations/*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else [message.string]
            for text in strings:
                assert denied_terms(text or "") == [], (po, message.id)


# --- the matcher --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("para sistemas de historia clínica electrónica", []),
        ("Ask occupational medicine or your GP.", []),
        ("It works on a phone or tablet.", []),
        ("Take a tablet at night.", ["tablet"]),
        ("Try medicine instead.", ["medicine"]),
        ("The drugstore sells drugs.", ["drugs"]),
        ("beta-blocker, betablocker", ["beta-blocker", "betablocker"]),
        ("keta\u00admine and es\u200bketamine", ["ketamine", "esketamine"]),
        ("It’s St John’s wort.", ["St John's wort"]),
        ("والأدوية وللأدوية", ["أدوية"]),
        ("EIN MEDIKAMENT", ["MEDIKAMENT"]),
        ("SERTRALINA", ["SERTRALINA"]),
    ],
)
def test_whole_words_any_case_with_exceptions(text, words):
    assert policy.denied_words(text) == words


def test_checking_takes_little_time_at_start_up():
    import time

    policy.policy()
    started = time.perf_counter()
    problems = policy.catalog_problems(REPO / "translations", ["es", "fr", "de", "pt_BR", "ar"])
    elapsed = time.perf_counter() - started
    assert problems == []
    assert elapsed < 1.0, elapsed


@pytest.mark.slow
def test_installed_command_refuses_a_hostile_copy(tmp_path):
    """The real `burnout-app` command, as an operator runs it."""
    folder = copy_dir("questionnaires", tmp_path)
    file = folder / "burnout-self-check.yaml"
    replace_in(file, 'title: "Burnout self-check"', 'title: "Burnout and Spravato self-check"')
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {
        "PATH": "",
        "BURNOUT_QUESTIONNAIRES_DIR": str(folder),
        "BURNOUT_PORTALS_DIR": str(empty),
    }
    result = subprocess.run(
        [str(Path(sys.executable).with_name("burnout-app")), "validate"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert f"{file}: title: 'Spravato' {DENIED}" in result.stderr


def test_which_strings_are_links_sources_hosts_or_text():
    hosts = frozenset({"www.samaritans.org"})
    data = {
        "url": "https://www.samaritans.org/",
        "source": "https://vice.com/en/article/helpline",
        "bands": {"source": "Thresholds from a study, https://doi.org/10.1000/x"},
        "hosts": [{"host": "eap.provider.example", "reason": "our provider"}],
        "origins": ["https://intranet.example"],
    }
    assert policy.data_problems("f.yaml", data, hosts) == []
    bad = {
        "url": "https://doi.org/10.1000/x",
        "source": "http://vice.com/x",
        "text": "See https://example.org/ or http://www.samaritans.org/.",
        "hosts": [{"host": "pharmacy-direct.example", "reason": "ours"}],
    }
    assert [str(p) for p in policy.data_problems("f.yaml", bad, hosts)] == [
        f"f.yaml: url: host 'doi.org' {NOT_REVIEWED}",
        "f.yaml: source: 'http://vice.com/x' must be an https:// link",
        f"f.yaml: text: host 'example.org' {NOT_REVIEWED}",
        "f.yaml: text: 'http://www.samaritans.org/' must be an https:// link",
        f"f.yaml: hosts[0].host: host 'pharmacy-direct.example' {REFUSED}",
    ]


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Answer question %(n)d", 'Responde <b onclick="x()">%(n)d</b>'),
        ("Select an answer", 'Elige <b onclick="x()">una</b>'),
    ],
)
def test_markup_in_a_translated_form_error_is_shown_as_text(tmp_path, msgid, msgstr):
    """The form's messages are lazy strings: they are escaped in the error summary and
    beside the question as any other text is (Flask-Babel's own would be inserted raw)."""
    folder = hostile_catalogs(tmp_path, "es", msgid, msgstr)
    client = create_app({"SECRET_KEY": "guard", "TRANSLATIONS_DIR": str(folder)}).test_client()
    flow = Flow(client, lang="es")
    page = flow.start()
    if msgid == "Select an answer":  # the safety question, on the last step
        for _ in range(3):
            page = flow.submit(page, answers_for())
    html = flow.submit(page, {}).get_data(as_text=True)
    assert "onclick=&#34;x()&#34;" in html
    assert "<b onclick" not in html


def test_the_translations_folder_decides_the_languages_offered(tmp_path):
    """An operator's catalog folder without Arabic offers no Arabic: /ar/ would otherwise
    say lang="ar" dir="rtl" over English text."""
    folder = copy_dir("translations", tmp_path)
    shutil.rmtree(folder / "ar")
    client = create_app({"SECRET_KEY": "guard", "TRANSLATIONS_DIR": str(folder)}).test_client()
    assert client.get("/ar/").status_code == 404
    page = client.get("/es/").get_data(as_text=True)
    assert 'lang="es"' in page and "العربية" not in page and "Deutsch" in page


def test_a_page_label_translation_cannot_end_the_inlined_style(tmp_path, monkeypatch):
    """`summary --html` inlines the page rule in a <style>: a catalog's "</style>" stays
    inside the CSS string, and the file has no script."""
    hostile = "</style><script>alert(1)</script>\n%(page)s / %(pages)s"
    folder = hostile_catalogs(tmp_path, "es", "Page %(page)s of %(pages)s", hostile)
    monkeypatch.setenv("BURNOUT_TRANSLATIONS_DIR", str(folder))
    out = tmp_path / "summary.html"
    result = CliRunner().invoke(
        main, ["summary", "--sample", "high", "--lang", "es", "--html", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert "<script" not in html
    assert html.count("</style>") == 1
    assert '"\\3c /style>\\3c script>alert(1)\\3c /script>\\a "' in html
