"""The hazard log (docs/safety/hazard-log.md) names real tests for every control."""

from __future__ import annotations

import ast
import re
from functools import cache

import pytest

from .conftest import REPO

LOG = REPO / "docs" / "safety" / "hazard-log.md"
NODE_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
HAZARD = re.compile(r"^## (H-\d\d): (.+)$", re.M)
FIELDS = ("**Cause:**", "**Effect on the person:**", "**Before controls:**", "**After controls:**")
# The hazards the issue asked for, by a word or two of their titles.
REQUIRED = [
    "wrong or out of date",
    "wrong country",
    "safety question",
    "diagnosis",
    "drug",
    "translation",
    "employer",
    "URLs, logs or caches",
    "unavailable under load",
    "PDF renderer",
]


def hazards() -> dict[str, tuple[str, str]]:
    """Hazard id to (title, section text)."""
    text = LOG.read_text("utf-8")
    found = list(HAZARD.finditer(text))
    return {
        m.group(1): (
            m.group(2),
            text[m.end() : found[n + 1].start() if n + 1 < len(found) else None],
        )
        for n, m in enumerate(found)
    }


def control_rows(section: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| C-")
    ]


@cache
def defined_tests(path: str) -> frozenset[str]:
    """Names of the test functions a test file defines (module level or in classes)."""
    file = REPO / path
    if not file.is_file():
        return frozenset()
    tree = ast.parse(file.read_text("utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    )


def missing_tests(text: str) -> list[str]:
    return [
        f"{path}::{name}" for path, name in NODE_ID.findall(text) if name not in defined_tests(path)
    ]


def test_every_hazard_the_issue_asked_for_is_logged():
    titles = [title for title, _section in hazards().values()]
    assert len(titles) >= 10
    for words in REQUIRED:
        assert any(words.lower() in t.lower() for t in titles), words


@pytest.mark.parametrize("hazard_id", sorted(hazards()))
def test_each_hazard_has_cause_effect_risks_and_tested_controls(hazard_id):
    _title, section = hazards()[hazard_id]
    for field in FIELDS:
        assert field in section, f"{hazard_id}: no {field}"
    assert re.search(r"\*\*Before controls:\*\* severity [1-5], likelihood [1-5]", section)
    assert re.search(r"\*\*After controls:\*\* severity [1-5], likelihood [1-5]", section)
    rows = control_rows(section)
    assert rows, f"{hazard_id} has no controls"
    for row in rows:
        control_id, _how, verified_by = row
        assert control_id.startswith(f"C-{hazard_id[2:]}."), control_id
        assert NODE_ID.search(verified_by), f"{control_id} names no test"


def test_every_test_the_log_names_exists():
    text = LOG.read_text("utf-8")
    assert len(NODE_ID.findall(text)) > 40
    assert missing_tests(text) == []


def test_a_deleted_test_would_be_noticed():
    text = LOG.read_text("utf-8")
    gone = text.replace(
        "tests/test_referrals.py::test_bad_referral_files", "tests/test_referrals.py::test_gone"
    )
    assert "tests/test_referrals.py::test_gone" in missing_tests(gone)
    assert "tests/test_nowhere.py::test_x" in missing_tests("`tests/test_nowhere.py::test_x`")


def test_summary_table_matches_the_sections():
    text = LOG.read_text("utf-8")
    summary = text.split("## Summary", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| (H-\d\d) \|", summary, re.M)
    assert listed == sorted(hazards())
