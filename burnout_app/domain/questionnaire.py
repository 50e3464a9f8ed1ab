"""The questionnaire model: YAML in, frozen dataclasses out.

A questionnaire file is checked in two passes. The JSON Schema
(``schemas/questionnaire.schema.json``) checks shape and types; the semantic
checks here catch what a schema cannot: duplicate ids, band thresholds that do
not increase or fall off the scale, and profiles naming unknown dimensions or
levels. All problems are reported together, one line each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from . import policy
from .content import (
    ContentError,
    ContentProblem,
    duplicate_problems,
    format_path,
    package_content_dir,
    read_yaml,
    schema_problems,
)

Concern = Literal["none", "some", "high"]
CONCERN_ORDER: dict[str, int] = {"none": 0, "some": 1, "high": 2}


@dataclass(frozen=True)
class Option:
    value: float
    label: str


@dataclass(frozen=True)
class Scale:
    options: tuple[Option, ...]

    @cached_property
    def minimum(self) -> float:
        return min(o.value for o in self.options)

    @cached_property
    def maximum(self) -> float:
        return max(o.value for o in self.options)

    @cached_property
    def _by_value(self) -> dict[float, Option]:
        return {o.value: o for o in self.options}

    def option_for(self, value: float) -> Option | None:
        return self._by_value.get(value)


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    reverse: bool
    dimension_id: str


@dataclass(frozen=True)
class BandLevel:
    id: str
    label: str
    lower: float
    """Inclusive lower bound in the scale's own units (the scale minimum for the first level)."""
    concern: Concern
    meaning: str


@dataclass(frozen=True)
class Bands:
    source: str
    levels: tuple[BandLevel, ...]

    def ranges(self, maximum: float) -> tuple[tuple[BandLevel, float, float], ...]:
        """Each level with its range on the scale: its lower bound to the next one's."""
        uppers = [level.lower for level in self.levels[1:]] + [maximum]
        return tuple(
            (level, level.lower, upper) for level, upper in zip(self.levels, uppers, strict=True)
        )

    def level_for(self, score: float) -> BandLevel:
        """The highest level whose lower bound the score reaches."""
        chosen = self.levels[0]
        for level in self.levels[1:]:
            # Rounding keeps 3.4999999999 (a float mean) from missing a 3.5 threshold.
            if round(score, 9) >= level.lower:
                chosen = level
        return chosen


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    description: str
    step_title: str
    items: tuple[Item, ...]
    bands: Bands


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    description: str
    concern: Concern
    when: Mapping[str, frozenset[str]] = field(hash=False)

    def matches(self, levels: Mapping[str, str | None]) -> bool:
        return all(levels.get(dim) in allowed for dim, allowed in self.when.items())


@dataclass(frozen=True)
class SafetyOption:
    value: int
    label: str
    flag: bool


@dataclass(frozen=True)
class SafetyItem:
    id: str
    text: str
    hint: str | None
    step_title: str
    options: tuple[SafetyOption, ...]

    def option_for(self, value: int) -> SafetyOption | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: str
    introduction: str
    prompt: str
    minutes: int | None
    licence: str | None
    scale: Scale
    min_answered: float
    dimensions: tuple[Dimension, ...]
    profiles: tuple[Profile, ...]
    profiles_source: str | None
    safety: SafetyItem | None
    source_file: str = ""

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for dim in self.dimensions for item in dim.items)

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def item(self, item_id: str) -> Item | None:
        return self._items_by_id.get(item_id)

    def dimension(self, dimension_id: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    @property
    def question_count(self) -> int:
        return len(self.items) + (1 if self.safety else 0)


def _semantic_problems(file: str, data: dict[str, Any]) -> list[ContentProblem]:
    """Rules the schema cannot express. Runs only on schema-valid data."""
    problems: list[ContentProblem] = []
    values = [opt["value"] for opt in data["scale"]["options"]]
    problems += duplicate_problems(
        file,
        ((str(v), ["scale", "options", i, "value"]) for i, v in enumerate(values)),
        "option value",
    )
    lo, hi = min(values), max(values)

    ids: list[tuple[str, list[Any]]] = []
    for d, dim in enumerate(data["dimensions"]):
        for i, item in enumerate(dim["items"]):
            ids.append((item["id"], ["dimensions", d, "items", i, "id"]))
    if "safety" in data:
        ids.append((data["safety"]["id"], ["safety", "id"]))
    problems += duplicate_problems(file, ids, "item id")
    problems += duplicate_problems(
        file,
        ((dim["id"], ["dimensions", d, "id"]) for d, dim in enumerate(data["dimensions"])),
        "dimension id",
    )

    level_ids: dict[str, set[str]] = {}
    for d, dim in enumerate(data["dimensions"]):
        levels = dim["bands"]["levels"]
        level_ids[dim["id"]] = {lvl["id"] for lvl in levels}
        base = ["dimensions", d, "bands", "levels"]
        problems += duplicate_problems(
            file, ((lvl["id"], [*base, n, "id"]) for n, lvl in enumerate(levels)), "level id"
        )
        if "from" in levels[0]:
            problems.append(
                ContentProblem(
                    file,
                    format_path([*base, 0, "from"]),
                    "the first level starts at the bottom of the scale and takes no 'from'",
                )
            )
        previous = lo
        for n, lvl in enumerate(levels[1:], start=1):
            where = format_path([*base, n, "from"])
            if "from" not in lvl:
                problems.append(
                    ContentProblem(file, where, "is required for every level but the first")
                )
                continue
            threshold = lvl["from"]
            if threshold <= previous:
                problems.append(
                    ContentProblem(
                        file,
                        where,
                        f"band thresholds must increase: {threshold} is not above {previous}",
                    )
                )
            elif threshold > hi:
                problems.append(
                    ContentProblem(
                        file, where, f"threshold {threshold} is above the scale maximum {hi}"
                    )
                )
            previous = max(previous, threshold)

    if "safety" in data:
        options = data["safety"]["options"]
        problems += duplicate_problems(
            file,
            ((str(o["value"]), ["safety", "options", i, "value"]) for i, o in enumerate(options)),
            "option value",
        )
        if not any(o.get("flag") for o in options):
            problems.append(
                ContentProblem(file, "safety.options", "at least one option must have flag: true")
            )

    profiles = data.get("profiles", [])
    problems += duplicate_problems(
        file, ((p["id"], ["profiles", n, "id"]) for n, p in enumerate(profiles)), "profile id"
    )
    for n, profile in enumerate(profiles):
        for dim_id, allowed in profile["when"].items():
            where = ["profiles", n, "when", dim_id]
            if dim_id not in level_ids:
                problems.append(
                    ContentProblem(file, format_path(where), f"unknown dimension {dim_id!r}")
                )
                continue
            for k, level in enumerate(allowed):
                if level not in level_ids[dim_id]:
                    known = ", ".join(sorted(level_ids[dim_id]))
                    problems.append(
                        ContentProblem(
                            file,
                            format_path([*where, k]),
                            f"unknown level {level!r} for dimension {dim_id!r} (known: {known})",
                        )
                    )
    return problems


def _build(file: str, data: dict[str, Any]) -> Questionnaire:
    scale = Scale(tuple(Option(o["value"], o["label"]) for o in data["scale"]["options"]))
    dimensions = []
    for dim in data["dimensions"]:
        levels = tuple(
            BandLevel(
                id=lvl["id"],
                label=lvl["label"],
                lower=lvl.get("from", scale.minimum),
                concern=lvl["concern"],
                meaning=lvl["meaning"],
            )
            for lvl in dim["bands"]["levels"]
        )
        dimensions.append(
            Dimension(
                id=dim["id"],
                name=dim["name"],
                description=dim["description"],
                step_title=dim.get("step_title", dim["name"]),
                items=tuple(
                    Item(i["id"], i["text"], bool(i.get("reverse", False)), dim["id"])
                    for i in dim["items"]
                ),
                bands=Bands(dim["bands"]["source"], levels),
            )
        )
    profiles = tuple(
        Profile(
            id=p["id"],
            name=p["name"],
            description=p["description"],
            concern=p.get("concern", "none"),
            when={k: frozenset(v) for k, v in p["when"].items()},
        )
        for p in data.get("profiles", [])
    )
    safety = None
    if "safety" in data:
        s = data["safety"]
        safety = SafetyItem(
            id=s["id"],
            text=s["text"],
            hint=s.get("hint"),
            step_title=s.get("step_title", s["text"]),
            options=tuple(
                SafetyOption(o["value"], o["label"], bool(o.get("flag", False)))
                for o in s["options"]
            ),
        )
    return Questionnaire(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        introduction=data["introduction"],
        prompt=data["prompt"],
        minutes=data.get("minutes"),
        licence=data.get("licence"),
        scale=scale,
        min_answered=data["scoring"]["min_answered"],
        dimensions=tuple(dimensions),
        profiles=profiles,
        profiles_source=data.get("profiles_source"),
        safety=safety,
        source_file=file,
    )


def parse_questionnaire(
    data: Any, file: str = "<questionnaire>", hosts: frozenset[str] | None = None
) -> Questionnaire:
    """Validate already-parsed data and build the model, or raise `ContentError`.

    ``hosts`` is the reviewed allowlist for web addresses in the text (None: not
    known here; addresses must still be https and not refused).
    """
    if not isinstance(data, dict):
        raise ContentError([ContentProblem(file, "", "the file must hold a mapping at the top")])
    problems = schema_problems(file, data, "questionnaire.schema.json")
    if not problems:
        problems = _semantic_problems(file, data)
    # The content policy holds for every questionnaire, shipped or added.
    problems += policy.data_problems(file, data, hosts, problems)
    if problems:
        raise ContentError(problems)
    return _build(file, data)


def load_questionnaire(path: str | Path, hosts: frozenset[str] | None = None) -> Questionnaire:
    """Load and validate one questionnaire file."""
    path = Path(path)
    return parse_questionnaire(read_yaml(path), str(path), hosts)


def questionnaire_files(directory: Path | None = None) -> list[Path]:
    """The questionnaire files in a folder, sorted by name."""
    directory = directory or package_content_dir("questionnaires")
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def load_questionnaires(
    paths: Iterable[Path], hosts: frozenset[str] | None = None
) -> dict[str, Questionnaire]:
    """Load several files; report every file's problems together, and duplicate ids."""
    found: dict[str, Questionnaire] = {}
    problems: list[ContentProblem] = []
    for path in paths:
        try:
            questionnaire = load_questionnaire(path, hosts)
        except ContentError as exc:
            problems += exc.problems
            continue
        if questionnaire.id in found:
            other = found[questionnaire.id].source_file
            problems.append(
                ContentProblem(
                    str(path),
                    "id",
                    f"duplicate questionnaire id {questionnaire.id!r} (also in {other})",
                )
            )
            continue
        found[questionnaire.id] = questionnaire
    if problems:
        raise ContentError(problems)
    return found
