"""The questionnaire model: YAML in, frozen dataclasses out.

A questionnaire file is checked in two passes. The JSON Schema
(``schemas/questionnaire.schema.json``) checks shape and types; the semantic
checks here catch what a schema cannot: duplicate ids, unknown response sets,
band thresholds that do not increase or fall off a score's range, minimums that
can never be met, composites naming unknown dimensions or items, and profiles
naming unknown dimensions or levels. All problems are reported together, one
line each.

Scoring rules a file can state (see docs/instruments.md):

- Each item answers on a response set: the shared ``scale`` unless it names one
  of ``response_sets``. A reversed item counts ``min + max - value`` of its own
  set.
- A dimension (and a composite) aggregates the counted values of its answered
  items as a ``mean`` (the default) or a ``sum``, and is scored when at least
  ``min_answered`` of its items are answered: a count on the dimension or
  composite, else the questionnaire's share, rounded up (``ceil(share * items)``).
- Composites (such as a total) aggregate the items of named dimensions and/or
  named items, with bands of their own.
"""

from __future__ import annotations

import dataclasses
import math
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


DEFAULT_SET = "default"
"""The name of the shared ``scale`` among the response sets."""

Aggregate = Literal["mean", "sum"]


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    reverse: bool
    dimension_id: str
    scale: Scale = field(default=None, compare=False)  # type: ignore[assignment]
    """The item's response set (the questionnaire's shared scale unless it names another)."""
    response_set: str = DEFAULT_SET

    def counted(self, value: float) -> float:
        """What an answer contributes to the item's scores: reversed on its own set if needed."""
        if self.reverse:
            return self.scale.minimum + self.scale.maximum - value
        return value


def required_count(share: float, total: int) -> int:
    """Answers needed out of ``total`` for a share: rounded up, at least one.

    The tiny tolerance guards against float error putting share x items a hair above a whole
    number (which would ask for one answer more than the rule says).
    """
    return max(1, min(total, math.ceil(share * total - 1e-9)))


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


class _Scored:
    """What dimensions and composites share: items, an aggregate, a minimum, a range."""

    items: tuple[Item, ...]
    aggregate: Aggregate
    min_count: int

    @property
    def is_sum(self) -> bool:
        return self.aggregate == "sum"

    @cached_property
    def minimum(self) -> float:
        """The lowest possible score, in the score's own units."""
        lows = [item.scale.minimum for item in self.items]
        return math.fsum(lows) if self.is_sum else min(lows)

    @cached_property
    def maximum(self) -> float:
        highs = [item.scale.maximum for item in self.items]
        return math.fsum(highs) if self.is_sum else max(highs)

    @property
    def any_reversed(self) -> bool:
        return any(item.reverse for item in self.items)


@dataclass(frozen=True)
class Dimension(_Scored):
    id: str
    name: str
    description: str
    step_title: str
    items: tuple[Item, ...]
    bands: Bands
    aggregate: Aggregate = "mean"
    min_count: int = 1
    kind: str = "dimension"
    min_stated: bool = False
    """True when the file states the count; False when it comes from the share."""


@dataclass(frozen=True)
class Composite(_Scored):
    """A score across dimensions or items, such as a total, with its own bands."""

    id: str
    name: str
    description: str
    items: tuple[Item, ...]
    bands: Bands
    aggregate: Aggregate = "mean"
    min_count: int = 1
    dimension_ids: tuple[str, ...] = ()
    kind: str = "composite"
    min_stated: bool = False


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
    response_sets: Mapping[str, Scale] = field(default_factory=dict, hash=False, compare=False)
    """Every response set by name, the shared scale as ``default``."""
    composites: tuple[Composite, ...] = ()

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

    def composite(self, composite_id: str) -> Composite | None:
        return next((c for c in self.composites if c.id == composite_id), None)

    @property
    def any_reversed(self) -> bool:
        return any(item.reverse for item in self.items)

    @property
    def uniform(self) -> bool:
        """One response set for every item and every score a mean (the shipped kind)."""
        return all(item.scale is self.scale for item in self.items) and not any(
            s.is_sum for s in (*self.dimensions, *self.composites)
        )

    def minimum_notes(self) -> list[str]:
        """Where the share, rounded up, silently asks for every item of a score."""
        notes = []
        for kind, groups in (("dimensions", self.dimensions), ("composites", self.composites)):
            for n, group in enumerate(groups):
                total = len(group.items)
                if not group.min_stated and self.min_answered < 1 and group.min_count == total > 1:
                    notes.append(
                        f"{kind}[{n}] ({group.id}): scoring.min_answered {self.min_answered:g} "
                        f"of {total} items rounds up to all {total}; state min_answered "
                        "(a count) if fewer answers may be scored"
                    )
        return notes

    def required(self, item: Item) -> bool:
        """True when leaving the item out always leaves some score unscored."""
        return any(
            item in group.items and group.min_count >= len(group.items)
            for group in (*self.dimensions, *self.composites)
        )

    @property
    def question_count(self) -> int:
        return len(self.items) + (1 if self.safety else 0)


def _set_values(data: dict[str, Any]) -> dict[str, list[float]]:
    sets = {DEFAULT_SET: [o["value"] for o in data["scale"]["options"]]}
    for name, spec in data.get("response_sets", {}).items():
        sets[name] = [o["value"] for o in spec["options"]]
    return sets


def _band_problems(
    file: str, base: list[Any], bands: dict[str, Any], lo: float, hi: float, what: str
) -> list[ContentProblem]:
    """Levels: unique ids, no 'from' on the first, thresholds rising inside the range."""
    problems: list[ContentProblem] = []
    levels = bands["levels"]
    base = [*base, "bands", "levels"]
    problems += duplicate_problems(
        file, ((lvl["id"], [*base, n, "id"]) for n, lvl in enumerate(levels)), "level id"
    )
    if "from" in levels[0]:
        problems.append(
            ContentProblem(
                file,
                format_path([*base, 0, "from"]),
                f"the first level starts at the bottom of the {what} and takes no 'from'",
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
                    f"band thresholds must increase: {threshold:g} is not above {previous:g}",
                )
            )
        elif threshold > hi:
            problems.append(
                ContentProblem(
                    file, where, f"threshold {threshold:g} is above the {what} maximum {hi:g}"
                )
            )
        previous = max(previous, threshold)
    return problems


def _range(item_sets: list[list[float]], aggregate: str) -> tuple[float, float]:
    lows = [min(v) for v in item_sets]
    highs = [max(v) for v in item_sets]
    if aggregate == "sum":
        return math.fsum(lows), math.fsum(highs)
    return min(lows), max(highs)


def _semantic_problems(file: str, data: dict[str, Any]) -> list[ContentProblem]:
    """Rules the schema cannot express. Runs only on schema-valid data."""
    problems: list[ContentProblem] = []
    sets = _set_values(data)
    problems += duplicate_problems(
        file,
        ((f"{v:g}", ["scale", "options", i, "value"]) for i, v in enumerate(sets[DEFAULT_SET])),
        "option value",
    )
    for name, spec in data.get("response_sets", {}).items():
        if name == DEFAULT_SET:
            problems.append(
                ContentProblem(
                    file,
                    format_path(["response_sets", name]),
                    f"{DEFAULT_SET!r} is the shared scale's name; give this set another name",
                )
            )
        problems += duplicate_problems(
            file,
            (
                (f"{o['value']:g}", ["response_sets", name, "options", i, "value"])
                for i, o in enumerate(spec["options"])
            ),
            "option value",
        )

    ids: list[tuple[str, list[Any]]] = []
    item_sets: dict[str, list[float]] = {}
    dim_items: dict[str, list[str]] = {}
    for d, dim in enumerate(data["dimensions"]):
        dim_items[dim["id"]] = [item["id"] for item in dim["items"]]
        for i, item in enumerate(dim["items"]):
            ids.append((item["id"], ["dimensions", d, "items", i, "id"]))
            name = item.get("response_set", DEFAULT_SET)
            if name not in sets:
                known = ", ".join(sorted(sets))
                problems.append(
                    ContentProblem(
                        file,
                        format_path(["dimensions", d, "items", i, "response_set"]),
                        f"unknown response set {name!r} (known: {known})",
                    )
                )
                name = DEFAULT_SET
            item_sets[item["id"]] = sets[name]
    if "safety" in data:
        ids.append((data["safety"]["id"], ["safety", "id"]))
    problems += duplicate_problems(file, ids, "item id")
    composites = data.get("composites", [])
    problems += duplicate_problems(
        file,
        [
            *((dim["id"], ["dimensions", d, "id"]) for d, dim in enumerate(data["dimensions"])),
            *((c["id"], ["composites", n, "id"]) for n, c in enumerate(composites)),
        ],
        "dimension or composite id",
    )

    def minimum_problems(base: list[Any], spec: dict[str, Any], count: int, what: str):
        if "min_answered" in spec and spec["min_answered"] > count:
            yield ContentProblem(
                file,
                format_path([*base, "min_answered"]),
                f"can never be met: {spec['min_answered']} answers needed but the {what} "
                f"has only {count} item{'s' if count != 1 else ''}",
            )

    level_ids: dict[str, set[str]] = {}
    for d, dim in enumerate(data["dimensions"]):
        level_ids[dim["id"]] = {lvl["id"] for lvl in dim["bands"]["levels"]}
        base = ["dimensions", d]
        lo, hi = _range([item_sets[i] for i in dim_items[dim["id"]]], dim.get("aggregate", "mean"))
        what = "sum" if dim.get("aggregate") == "sum" else "scale"
        problems += _band_problems(file, base, dim["bands"], lo, hi, what)
        problems += minimum_problems(base, dim, len(dim["items"]), "dimension")

    for n, comp in enumerate(composites):
        base = ["composites", n]
        level_ids[comp["id"]] = {lvl["id"] for lvl in comp["bands"]["levels"]}
        members: list[str] = []
        for k, dim_id in enumerate(comp.get("dimensions", [])):
            if dim_id not in dim_items:
                known = ", ".join(dim_items)
                problems.append(
                    ContentProblem(
                        file,
                        format_path([*base, "dimensions", k]),
                        f"unknown dimension {dim_id!r} (known: {known})",
                    )
                )
                continue
            members += dim_items[dim_id]
        for k, item_id in enumerate(comp.get("items", [])):
            if item_id not in item_sets:
                problems.append(
                    ContentProblem(
                        file, format_path([*base, "items", k]), f"unknown item {item_id!r}"
                    )
                )
                continue
            if item_id in members:
                problems.append(
                    ContentProblem(
                        file,
                        format_path([*base, "items", k]),
                        f"item {item_id!r} is already in the composite through its dimension",
                    )
                )
                continue
            members.append(item_id)
        if not members:
            problems.append(
                ContentProblem(file, format_path(base), "the composite has no known items")
            )
            continue
        lo, hi = _range([item_sets[i] for i in members], comp.get("aggregate", "mean"))
        what = "sum" if comp.get("aggregate") == "sum" else "scale"
        problems += _band_problems(file, base, comp["bands"], lo, hi, what)
        problems += minimum_problems(base, comp, len(members), "composite")

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


def _scale(spec: dict[str, Any]) -> Scale:
    return Scale(tuple(Option(o["value"], o["label"]) for o in spec["options"]))


def _bands(spec: dict[str, Any], lowest: float) -> Bands:
    levels = tuple(
        BandLevel(
            id=lvl["id"],
            label=lvl["label"],
            lower=lvl.get("from", lowest),
            concern=lvl["concern"],
            meaning=lvl["meaning"],
        )
        for lvl in spec["levels"]
    )
    return Bands(spec["source"], levels)


def _build(file: str, data: dict[str, Any]) -> Questionnaire:
    scale = _scale(data["scale"])
    sets = {DEFAULT_SET: scale}
    sets.update({name: _scale(spec) for name, spec in data.get("response_sets", {}).items()})
    share = data["scoring"]["min_answered"]
    dimensions = []
    for dim in data["dimensions"]:
        items = tuple(
            Item(
                i["id"],
                i["text"],
                bool(i.get("reverse", False)),
                dim["id"],
                sets[i.get("response_set", DEFAULT_SET)],
                i.get("response_set", DEFAULT_SET),
            )
            for i in dim["items"]
        )
        dimension = Dimension(
            id=dim["id"],
            name=dim["name"],
            description=dim["description"],
            step_title=dim.get("step_title", dim["name"]),
            items=items,
            bands=Bands("", ()),
            aggregate=dim.get("aggregate", "mean"),
            min_count=dim.get("min_answered", required_count(share, len(items))),
            min_stated="min_answered" in dim,
        )
        dimensions.append(
            dataclasses.replace(dimension, bands=_bands(dim["bands"], dimension.minimum))
        )
    by_dim = {d.id: d for d in dimensions}
    by_item = {item.id: item for d in dimensions for item in d.items}
    composites = []
    for comp in data.get("composites", []):
        members = [item for dim_id in comp.get("dimensions", []) for item in by_dim[dim_id].items]
        members += [by_item[i] for i in comp.get("items", [])]
        composite = Composite(
            id=comp["id"],
            name=comp["name"],
            description=comp["description"],
            items=tuple(members),
            bands=Bands("", ()),
            aggregate=comp.get("aggregate", "mean"),
            min_count=comp.get("min_answered", required_count(share, len(members))),
            dimension_ids=tuple(comp.get("dimensions", [])),
            min_stated="min_answered" in comp,
        )
        composites.append(
            dataclasses.replace(composite, bands=_bands(comp["bands"], composite.minimum))
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
        min_answered=share,
        dimensions=tuple(dimensions),
        profiles=profiles,
        profiles_source=data.get("profiles_source"),
        safety=safety,
        source_file=file,
        response_sets=sets,
        composites=tuple(composites),
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
