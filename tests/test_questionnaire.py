"""The questionnaire format: our files load, and every bad file gets one precise line."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from burnout_app.domain.content import ContentError
from burnout_app.domain.questionnaire import (
    load_questionnaire,
    load_questionnaires,
    parse_questionnaire,
    questionnaire_files,
)

REPO = Path(__file__).resolve().parent.parent
FULL = REPO / "questionnaires" / "burnout-self-check.yaml"
CHECK_IN = REPO / "questionnaires" / "burnout-check-in.yaml"


def minimal() -> dict:
    """A small valid questionnaire to break in one place at a time."""
    levels = [
        {"id": "low", "label": "Low", "concern": "none", "meaning": "m"},
        {"id": "high", "label": "High", "from": 3, "concern": "high", "meaning": "m"},
    ]
    return {
        "id": "tiny",
        "version": "1",
        "title": "Tiny",
        "introduction": "Intro",
        "prompt": "How often?",
        "scale": {"options": [{"value": v, "label": str(v)} for v in range(5)]},
        "scoring": {"min_answered": 0.5},
        "dimensions": [
            {
                "id": "a",
                "name": "A",
                "description": "d",
                "items": [{"id": "a1", "text": "t"}, {"id": "a2", "text": "t", "reverse": True}],
                "bands": {"source": "s", "levels": copy.deepcopy(levels)},
            },
            {
                "id": "b",
                "name": "B",
                "description": "d",
                "items": [{"id": "b1", "text": "t"}, {"id": "b2", "text": "t"}],
                "bands": {"source": "s", "levels": copy.deepcopy(levels)},
            },
        ],
        "profiles": [{"id": "p", "name": "P", "description": "d", "when": {"a": ["high"]}}],
        "safety": {
            "id": "safe",
            "text": "Safe?",
            "options": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes", "flag": True}],
        },
    }


def problems_for(data) -> list[str]:
    with pytest.raises(ContentError) as info:
        parse_questionnaire(data, "bad.yaml")
    return [str(p) for p in info.value.problems]


def test_shipped_questionnaires_load():
    found = load_questionnaires(questionnaire_files())
    assert set(found) == {"burnout-self-check", "burnout-check-in"}


def test_full_questionnaire_shape():
    q = load_questionnaire(FULL)
    assert [d.id for d in q.dimensions] == ["exhaustion", "cynicism", "reduced_efficacy"]
    for dim in q.dimensions:
        assert len(dim.items) >= 6
        assert any(i.reverse for i in dim.items), f"{dim.id} needs a reverse-keyed item"
        assert "not been clinically validated" in dim.bands.source
    assert [o.value for o in q.scale.options] == [0, 1, 2, 3, 4, 5, 6]
    assert q.scale.options[0].label == "Never" and q.scale.options[-1].label == "Every day"
    assert {p.id for p in q.profiles} >= {
        "burnout",
        "overextended",
        "disengaged",
        "ineffective",
        "engaged",
    }
    assert q.safety is not None and any(o.flag for o in q.safety.options)


def test_check_in_has_two_items_a_dimension_shared_with_full():
    full, check_in = load_questionnaire(FULL), load_questionnaire(CHECK_IN)
    assert [len(d.items) for d in check_in.dimensions] == [2, 2, 2]
    full_items = {i.id: i for i in full.items}
    for item in check_in.items:
        # A shared id must mean the same item: same text, same keying, same dimension.
        assert full_items[item.id] == item


def test_item_ids_unique_across_whole_file():
    q = load_questionnaire(FULL)
    ids = [i.id for i in q.items] + [q.safety.id]
    assert len(ids) == len(set(ids))


def test_minimal_is_valid():
    q = parse_questionnaire(minimal(), "ok.yaml")
    assert q.dimensions[0].bands.levels[0].lower == 0


def test_malformed_yaml_names_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_questionnaire(path)
    (line,) = [str(p) for p in info.value.problems]
    assert line.startswith(f"{path}: line ")
    assert "malformed YAML" in line


def test_duplicate_yaml_key(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("id: x\nid: y\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_questionnaire(path)
    assert "duplicate key 'id'" in str(info.value)
    assert "line 2" in str(info.value)


def _unknown_key(d):
    d["dimensions"][1]["items"][0]["colour"] = "red"


def _duplicate_item(d):
    d["dimensions"][1]["items"][1]["id"] = "a1"


def _non_numeric(d):
    d["scale"]["options"][2]["value"] = "two"


def _bands_not_increasing(d):
    d["dimensions"][0]["bands"]["levels"].append(
        {"id": "mid", "label": "Mid", "from": 2, "concern": "some", "meaning": "m"}
    )


def _profile_unknown_dimension(d):
    d["profiles"][0]["when"] = {"zzz": ["high"]}


def _profile_unknown_level(d):
    d["profiles"][0]["when"] = {"a": ["extreme"]}


def _empty_dimension(d):
    d["dimensions"][1]["items"] = []


def _threshold_off_scale(d):
    d["dimensions"][0]["bands"]["levels"][1]["from"] = 9


def _first_level_with_from(d):
    d["dimensions"][0]["bands"]["levels"][0]["from"] = 0


def _missing_from(d):
    del d["dimensions"][0]["bands"]["levels"][1]["from"]


def _duplicate_option_value(d):
    d["scale"]["options"][1]["value"] = 0


def _missing_required(d):
    del d["dimensions"][0]["bands"]["source"]


def _bad_concern(d):
    d["dimensions"][0]["bands"]["levels"][0]["concern"] = "panic"


def _safety_without_flag(d):
    d["safety"]["options"][1]["flag"] = False


def _safety_id_clash(d):
    d["safety"]["id"] = "b2"


def _unquoted_label(d):
    d["scale"]["options"][0]["label"] = False  # what YAML makes of an unquoted No


@pytest.mark.parametrize(
    ("breaker", "expected"),
    [
        (
            _unknown_key,
            "bad.yaml: dimensions[1].items[0].colour: unknown key 'colour' "
            "(allowed: id, response_set, reverse, text)",
        ),
        (
            _duplicate_item,
            "bad.yaml: dimensions[1].items[1].id: duplicate item id 'a1' "
            "(first at dimensions[0].items[0].id)",
        ),
        (_non_numeric, 'bad.yaml: scale.options[2].value: must be a number, not "two"'),
        (
            _bands_not_increasing,
            "bad.yaml: dimensions[0].bands.levels[2].from: band thresholds must increase: "
            "2 is not above 3",
        ),
        (_profile_unknown_dimension, "bad.yaml: profiles[0].when.zzz: unknown dimension 'zzz'"),
        (
            _profile_unknown_level,
            "bad.yaml: profiles[0].when.a[0]: unknown level 'extreme' for dimension 'a' "
            "(known: high, low)",
        ),
        (_empty_dimension, "bad.yaml: dimensions[1].items: a dimension needs at least one item"),
        (
            _threshold_off_scale,
            "bad.yaml: dimensions[0].bands.levels[1].from: "
            "threshold 9 is above the scale maximum 4",
        ),
        (
            _first_level_with_from,
            "bad.yaml: dimensions[0].bands.levels[0].from: the first level starts at the bottom "
            "of the scale and takes no 'from'",
        ),
        (
            _missing_from,
            "bad.yaml: dimensions[0].bands.levels[1].from: "
            "is required for every level but the first",
        ),
        (
            _duplicate_option_value,
            "bad.yaml: scale.options[1].value: duplicate option value '0' "
            "(first at scale.options[0].value)",
        ),
        (_missing_required, "bad.yaml: dimensions[0].bands.source: is required"),
        (
            _bad_concern,
            "bad.yaml: dimensions[0].bands.levels[0].concern: must be one of: none, some, high",
        ),
        (
            _safety_without_flag,
            "bad.yaml: safety.options: at least one option must have flag: true",
        ),
        (
            _safety_id_clash,
            "bad.yaml: safety.id: duplicate item id 'b2' (first at dimensions[1].items[1].id)",
        ),
        (
            _unquoted_label,
            "bad.yaml: scale.options[0].label: must be a string, not false (put text in quotes)",
        ),
    ],
)
def test_bad_file_gives_one_precise_line(breaker, expected):
    data = minimal()
    breaker(data)
    assert problems_for(data) == [expected]


def test_top_level_must_be_mapping():
    assert problems_for(["a", "b"]) == ["bad.yaml: the file must hold a mapping at the top"]


def test_several_problems_reported_together():
    data = minimal()
    _unknown_key(data)
    _non_numeric(data)
    assert len(problems_for(data)) == 2


def test_duplicate_questionnaire_ids_across_files(tmp_path):
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text(yaml.safe_dump(minimal()), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_questionnaires(sorted(tmp_path.glob("*.yaml")))
    assert "two.yaml: id: duplicate questionnaire id 'tiny'" in str(info.value)
