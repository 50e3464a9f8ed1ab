"""Crisis lines age: `validate` warns about entries not verified for too long."""

from __future__ import annotations

import datetime as dt
import shutil

from click.testing import CliRunner

from burnout_app.cli import main
from burnout_app.domain.referrals import load_referrals, stale_entries

from .conftest import REPO


def old_samaritans(tmp_path):
    """A copy of the referral folder where the GB line was last verified on 2024-01-10."""
    target = tmp_path / "referrals"
    shutil.copytree(REPO / "referrals", target)
    crisis = target / "crisis-lines.yaml"
    text = crisis.read_text("utf-8")
    samaritans = text.index("name: Samaritans", text.index("  GB:"))
    verified = text.index("verified: ", samaritans)
    end = text.index("\n", verified)
    crisis.write_text(text[:verified] + "verified: 2024-01-10" + text[end:], "utf-8")
    return target


def crisis_lines(directory):
    return [line for code in directory.country_codes for line in directory.crisis_help(code).lines]


def newest_verified(directory) -> dt.date:
    return max([line.verified for line in crisis_lines(directory)] + [directory.directory.verified])


def test_shipped_lines_turn_stale_exactly_after_the_limit():
    shipped = load_referrals()
    # Everything with a `verified` date: lines, routes to professionals, the directory.
    dated = [*crisis_lines(shipped), shipped.directory]
    dated += [r for code in shipped.country_codes for r in shipped.crisis_help(code).professionals]
    oldest = min(item.verified for item in dated)
    assert stale_entries(shipped, oldest + dt.timedelta(days=365), 365) == []
    stale = stale_entries(shipped, oldest + dt.timedelta(days=366), 365)
    assert stale and all(e.verified == oldest and e.age_days == 366 for e in stale)


def test_stale_entries_names_every_old_line_and_its_age(tmp_path):
    directory = load_referrals(old_samaritans(tmp_path))
    today = dt.date(2025, 1, 20)
    stale = stale_entries(directory, today, 365)
    assert [(e.place, e.name, e.verified, e.age_days) for e in stale] == [
        ("GB", "Samaritans", dt.date(2024, 1, 10), 376)
    ]
    assert stale[0].path[:2] == ("countries", "GB")
    # One day younger than the limit is not stale; the limit itself is configurable.
    assert stale_entries(directory, dt.date(2025, 1, 9), 365) == []
    assert len(stale_entries(directory, today, 30)) == 1
    # A year later every entry is stale, the helpline directory included.
    later = max(newest_verified(directory), today) + dt.timedelta(days=366)
    places = {e.place for e in stale_entries(directory, later, 365)}
    with_lines = {code for code in directory.country_codes if directory.crisis_help(code).lines}
    assert places >= with_lines | {"directory"}


def run(*args):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


def test_validate_warns_but_passes(tmp_path):
    folder = old_samaritans(tmp_path)
    result = run("--referrals", folder, "--today", "2025-01-20")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert lines == [
        f"warning: {folder / 'crisis-lines.yaml'}: GB: Samaritans: verified 2024-01-10, "
        "376 days ago (more than 365); check it against its source"
    ]
    assert "ok  referrals" in result.output


def test_strict_turns_warnings_into_failure(tmp_path):
    folder = old_samaritans(tmp_path)
    result = run("--referrals", folder, "--today", "2025-01-20", "--strict")
    assert result.exit_code == 1
    assert f"error: {folder / 'crisis-lines.yaml'}: GB: Samaritans" in result.output
    # A longer limit makes the same files pass, strict or not.
    result = run("--referrals", folder, "--today", "2025-01-20", "--strict", "--max-age-days", 400)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output and "error" not in result.output


def test_shipped_lines_pass_strict_on_the_day_they_were_checked():
    newest = newest_verified(load_referrals())
    result = run("--strict", "--today", newest.isoformat())
    assert result.exit_code == 0, result.output
