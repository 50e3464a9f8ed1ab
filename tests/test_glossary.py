"""The glossary in translations/README.md holds: one term per concept, in every catalog."""

from __future__ import annotations

import re
from functools import cache

import pytest
import yaml
from babel.messages.pofile import read_po

from .conftest import REPO

README = REPO / "translations" / "README.md"
LOCALES = ["fr", "de", "es", "pt_BR", "ar"]
FLAGS = re.IGNORECASE


def whole_words(pattern: str) -> re.Pattern[str]:
    """A glossary pattern, matched without regard to case and never inside a longer word."""
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", FLAGS)


@cache
def glossary() -> tuple[dict, dict[str, dict]]:
    """The concepts block and one block per locale, read from the README's YAML blocks."""
    text = README.read_text("utf-8")
    blocks = [yaml.safe_load(b) for b in re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S)]
    concepts = next(b["concepts"] for b in blocks if "concepts" in b)
    languages = {b["locale"]: b for b in blocks if "locale" in b}
    return concepts, languages


@cache
def catalog(locale: str) -> list[tuple[str, str]]:
    """(English, translation) for every entry; plural forms are joined."""
    path = REPO / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        messages = read_po(f)
    pairs = []
    for m in messages:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        pairs.append(("\n".join(ids), "\n".join(strings)))
    return pairs


def problems(locale: str, english: str, translation: str) -> list[str]:
    """What the glossary finds wrong with one translated entry."""
    concepts, languages = glossary()
    language = languages[locale]
    found = []
    for concept, term in language["terms"].items():
        wanted = len(whole_words(concepts[concept]["en"]).findall(english))
        got = len(whole_words(term["match"]).findall(translation))
        if got < wanted:
            found.append(f"{concept}: use {term['term']!r} in {translation!r}")
    for rule in language["forbidden"]:
        concept = rule.get("concept")
        if concept and not whole_words(concepts[concept]["en"]).search(english):
            continue
        hit = whole_words(rule["pattern"]).search(translation)
        if hit:
            found.append(f"{hit.group(0)!r} ({rule['because']}) in {translation!r}")
    return found


def test_glossary_has_every_language_and_concept():
    concepts, languages = glossary()
    assert sorted(languages) == sorted(LOCALES)
    required = {c for c, spec in concepts.items() if not spec.get("optional")}
    assert {"crisis_line", "helpline", "licensed_professional"} <= required
    kinds = {spec["kind"] for spec in concepts.values()}
    assert {"title", "dimension"} <= kinds
    english = [msgid for msgid, _ in catalog("fr")]
    for concept, spec in concepts.items():
        # A concept no English string uses would check nothing.
        assert any(whole_words(spec["en"]).search(m) for m in english), concept
    for locale, language in languages.items():
        terms = language["terms"]
        assert required <= set(terms), (locale, sorted(required - set(terms)))
        assert set(terms) <= set(concepts), (locale, sorted(set(terms) - set(concepts)))
        for concept, term in terms.items():
            # The term a translator is told to write is one the test accepts.
            assert whole_words(term["match"]).search(term["term"]), (locale, concept)
        for rule in language["forbidden"]:
            assert rule["because"], (locale, rule)
            assert rule.get("concept", "crisis_line") in concepts, (locale, rule)
            re.compile(rule["pattern"])


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_follows_glossary(locale):
    found = [p for msgid, msgstr in catalog(locale) for p in problems(locale, msgid, msgstr)]
    assert found == []


# The wording the translation review found, entry by entry: each must stay caught.
TITLE = "Licensed psychologist or psychotherapist"
REVIEWED = [
    ("fr", "Need help now? Crisis lines", "Besoin d'aide tout de suite ? Lignes d'écoute"),
    (
        "fr",
        "You told us you have had thoughts of hurting yourself or of not being alive. You do "
        "not have to face this alone. Please call a crisis line now, or your local emergency "
        "number if you are in danger.",
        "Appelez dès maintenant une ligne d'écoute, ou le numéro d'urgence de votre pays.",
    ),
    (
        "fr",
        "This self-check is not a diagnosis. Only a licensed professional can assess your health.",
        "Seul un professionnel de santé qualifié peut évaluer votre état de santé.",
    ),
    (
        "fr",
        "Links to helplines and other services take you to their websites, which have their "
        "own privacy rules.",
        "Les liens vers les lignes d'aide en cas de crise vous mènent vers leurs sites.",
    ),
    ("fr", TITLE, "Psychologue ou psychothérapeute agréé"),
    (
        "de",
        "Please talk to a licensed professional soon",
        "Bitte sprechen Sie bald mit einer Fachperson",
    ),
    (
        "de",
        "It shows what your answers suggest. Only a licensed professional can assess your health.",
        "Nur eine Fachperson aus Medizin oder Psychotherapie kann Ihre Gesundheit beurteilen.",
    ),
    (
        "de",
        "A medical doctor who specialises in mental health. Usually reached through a referral "
        "from your family doctor when more specialised care is needed.",
        "Eine Fachärztin oder ein Facharzt für psychische Gesundheit, über die Hausarztpraxis.",
    ),
    (
        "de",
        TITLE,
        "Psychologin oder Psychologe, approbierte Psychotherapeutin",
    ),
    ("es", "Crisis lines in %(country)s", "Líneas de ayuda en crisis en %(country)s"),
    (
        "es",
        "Confidential support for anyone in emotional distress or thinking about suicide.",
        "Apoyo gratuito y confidencial para quien pasa por un momento de malestar emocional.",
    ),
    (
        "es",
        "Your answers suggest clear signs of strain that deserve attention. Please book an "
        "appointment with your family doctor (GP) or a licensed psychologist or psychotherapist "
        "in the next week or two. You can take the summary of these results with you.",
        "Te recomendamos pedir cita con tu médico de familia o con un psicólogo o "
        "psicoterapeuta acreditado.",
    ),
    ("pt_BR", "Crisis lines", "Linhas de apoio em crise"),
    (
        "pt_BR",
        "Support from trained counsellors for stress, worry, low mood or any other mental health "
        "concern.",
        "Apoio gratuito de profissionais capacitados em casos de estresse.",
    ),
    ("pt_BR", TITLE, "Psicólogo(a) ou psicoterapeuta habilitado"),
    ("pt_BR", TITLE, "Psicólogo ou psicoterapeuta com registro"),
    ("ar", "Never", "أبدًا"),
    ("ar", "Every day, 10:00 to 24:00", "يوميًا، من الساعة 10:00 حتى الساعة 24:00"),
]


@pytest.mark.parametrize(("locale", "english", "translation"), REVIEWED)
def test_reviewed_wording_is_caught(locale, english, translation):
    assert any(msgid == english for msgid, _ in catalog(locale)), english
    assert problems(locale, english, translation) != []
