"""The referral directory: our files load, bad files fail precisely, selection follows results."""

from __future__ import annotations

import shutil

import pytest

from burnout_app.domain import policy
from burnout_app.domain.content import ContentError
from burnout_app.domain.referrals import Professional, load_referrals, select_referrals
from burnout_app.domain.scoring import assess

from .conftest import FULL, REPO, answers_for

# The twelve the web-flow issue asked for, then Brazil (for the pt_BR locale).
COUNTRIES = ["US", "CA", "GB", "IE", "AU", "NZ", "DE", "FR", "ES", "IT", "NL", "IN", "BR"]


@pytest.fixture(scope="module")
def referrals():
    return load_referrals()


def test_every_required_country_has_verified_https_lines(referrals):
    assert list(referrals.countries) == COUNTRIES
    for code in COUNTRIES:
        emergency, lines = referrals.countries[code]
        assert emergency
        for line in lines:
            assert line.url.startswith("https://") and line.source.startswith("https://")
            # The link is shown: a reviewed host. The source backs the facts and is
            # never shown as a link, so it needs no allowlist entry.
            assert referrals.link_allowed(line.url)
            assert not policy.link_problems("f", "p", line.source, None)
            assert line.verified.year >= 2026
            assert line.hours and line.description


def test_fallback_for_other_countries(referrals):
    help_ = referrals.crisis_help("JP")
    assert not help_.known and help_.lines == ()
    assert help_.directory.url.startswith("https://")


def copy_referrals(tmp_path):
    target = tmp_path / "referrals"
    shutil.copytree(REPO / "referrals", target)
    return target


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "crisis-lines.yaml",
            "url: https://988lifeline.org/",
            "url: https://988-lifeline.example/",
            "crisis-lines.yaml: countries.US.lines[0].url: host '988-lifeline.example' is not "
            "on the reviewed allowlist (referrals/allowed-hosts.yaml)",
        ),
        (
            "crisis-lines.yaml",
            "url: https://988lifeline.org/",
            "url: http://988lifeline.org/",
            "crisis-lines.yaml: countries.US.lines[0].url: 'http://988lifeline.org/' does not "
            "match",
        ),
        (
            "crisis-lines.yaml",
            'phone: "988"',
            'phone: "call 988"',
            "crisis-lines.yaml: countries.US.lines[0].phone: 'call 988' does not match",
        ),
        (
            "guidance.yaml",
            "  some:\n",
            "  sometimes:\n",
            "guidance.yaml: next_steps.sometimes: unknown key 'sometimes'",
        ),
        (
            "guidance.yaml",
            "  - id: psychiatrist",
            "  - id: gp",
            "guidance.yaml: professionals[2].id: duplicate professional id 'gp'",
        ),
    ],
)
def test_bad_referral_files(tmp_path, file, old, new, expected):
    folder = copy_referrals(tmp_path)
    edit(folder / file, old, new)
    with pytest.raises(ContentError) as info:
        load_referrals(folder)
    lines = [str(p) for p in info.value.problems]
    assert any(line.startswith(str(folder / file)) for line in lines)
    assert any(expected.split(": ", 1)[1] in line for line in lines), lines


def test_missing_referral_file(tmp_path):
    folder = copy_referrals(tmp_path)
    (folder / "guidance.yaml").unlink()
    with pytest.raises(ContentError, match=r"guidance\.yaml: cannot read file"):
        load_referrals(folder)


def test_selection_scales_with_results(referrals):
    worst = select_referrals(referrals, assess(FULL, answers_for(pattern="worst")), "US")
    assert worst.next_step.key == "high"
    assert [s.dimension_id for s in worst.self_care] == [
        "exhaustion",
        "cynicism",
        "reduced_efficacy",
    ]
    best = select_referrals(referrals, assess(FULL, answers_for(pattern="best")), "US")
    assert best.next_step.key == "none"
    assert [s.dimension_id for s in best.self_care] == [None]
    safety = select_referrals(referrals, assess(FULL, answers_for(safety=1)), "GB")
    assert safety.crisis_first and safety.next_step.key == "safety"
    assert safety.crisis.lines[0].name == "Samaritans"


def test_portal_resources_come_first(referrals):
    eap = Professional("eap_acme", "Acme EAP", "Call us.", phone="0800 1", translate=False)
    chosen = select_referrals(referrals, assess(FULL, answers_for()), "US", [eap])
    assert chosen.professionals[0] == eap
    assert {p.id for p in chosen.professionals} >= {"gp", "psychologist", "psychiatrist"}
