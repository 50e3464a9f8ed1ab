"""Reading content files: strict YAML, JSON Schema checks and precise errors.

Every problem in a content file becomes one `ContentProblem` line that names the
file, the path inside it (for example ``dimensions[1].items[3].id``) and the
rule it broke. Loaders collect all problems and raise them together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong in one content file."""

    file: str
    path: str
    rule: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.rule}"


class ContentError(Exception):
    """A content file (questionnaire, referrals, portal) is not valid."""

    def __init__(self, problems: Sequence[ContentProblem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(parts: Iterable[Any]) -> str:
    """Turn ``["dimensions", 1, "items", 3, "id"]`` into ``dimensions[1].items[3].id``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class _StrictLoader(yaml.SafeLoader):
    """Safe loader that refuses duplicate mapping keys instead of keeping the last."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, yaml.Node] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, raising `ContentError` with the line and column on failure."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(
            [ContentProblem(name, "", f"cannot read file: {exc.strerror}")]
        ) from None
    except UnicodeDecodeError:
        raise ContentError([ContentProblem(name, "", "file is not UTF-8 text")]) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError([ContentProblem(name, where, f"malformed YAML: {problem}")]) from None


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load a JSON Schema shipped in ``burnout_app/domain/schemas``."""
    text = resources.files("burnout_app.domain").joinpath("schemas", name).read_text("utf-8")
    return json.loads(text)


def _describe(error: jsonschema.ValidationError) -> tuple[list[Any], str]:
    """A path and a plain rule for one schema error."""
    path = list(error.absolute_path)
    validator = error.validator
    value = error.instance
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        key = extra[0] if extra else "?"
        hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return [*path, key], f"unknown key {key!r}{hint}"
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [*path, missing], "is required"
    if validator == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        shown = json.dumps(value, default=str)
        hint = " (put text in quotes)" if wanted == "string" else ""
        return path, f"must be a {wanted}, not {shown}{hint}"
    if validator == "minItems":
        if path and path[-1] == "items":
            return path, "a dimension needs at least one item"
        return path, f"needs at least {error.validator_value} entries"
    if validator == "minLength":
        return path, "must not be empty"
    if validator == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        return path, f"must be one of: {options}"
    if validator == "pattern":
        return path, f"{value!r} does not match the pattern {error.validator_value}"
    if validator in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}:
        return path, error.message
    return path, error.message


def schema_problems(file: str, data: Any, schema_name: str) -> list[ContentProblem]:
    """Check ``data`` against a shipped schema; one problem per error, in file order."""
    validator = jsonschema.Draft202012Validator(load_schema(schema_name))
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path, rule = _describe(error)
        problems.append(ContentProblem(file, format_path(path), rule))
    return problems


def duplicate_problems(
    file: str, entries: Iterable[tuple[str, list[Any]]], what: str
) -> list[ContentProblem]:
    """Problems for ids that appear more than once; ``entries`` pairs an id with its path."""
    first: dict[str, str] = {}
    problems = []
    for ident, path in entries:
        where = format_path(path)
        if ident in first:
            problems.append(
                ContentProblem(file, where, f"duplicate {what} {ident!r} (first at {first[ident]})")
            )
        else:
            first[ident] = where
    return problems


def package_content_dir(name: str) -> Path:
    """The folder of a content kind (``questionnaires``, ``referrals``, ``translations``).

    Installed, it lives inside the package; in a source checkout or an editable
    install, it sits at the top of the repository.
    """
    package_root = Path(__file__).resolve().parent.parent
    for candidate in (package_root / name, package_root.parent / name):
        if candidate.is_dir():
            return candidate
    return package_root / name
