"""The README keeps up with the code: commands, questionnaire fields and config keys."""

from __future__ import annotations

import re
from pathlib import Path

from burnout_app.cli import main
from burnout_app.domain.content import load_schema

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")


def test_every_cli_command_is_documented():
    for name, command in main.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for sub in subcommands:
                assert f"burnout-app {name} {sub}" in README, f"{name} {sub} is not in the README"
        else:
            assert f"`burnout-app {name}" in README, f"burnout-app {name} is not in the README"


def _schema_fields(schema: dict, prefix: str = "") -> set[str]:
    fields = set()
    for key, sub in schema.get("properties", {}).items():
        fields.add(key)
        if sub.get("type") == "object":
            fields |= _schema_fields(sub)
        if sub.get("type") == "array" and isinstance(sub.get("items"), dict):
            fields |= _schema_fields(sub["items"])
    return fields


def test_every_questionnaire_field_is_documented():
    section = README.split("<!-- questionnaire-fields")[1].split("\n\n3.")[0]
    documented = set(re.findall(r"`([a-z_]+)", section))
    documented |= {
        part
        for m in re.findall(r"`([a-z_.\[\]]+)`", section)
        for part in re.split(r"[.\[\]]+", m)
        if part
    }
    missing = _schema_fields(load_schema("questionnaire.schema.json")) - documented
    assert not missing, f"questionnaire fields missing from the README: {sorted(missing)}"


def test_readme_has_exactly_two_setup_commands():
    setup = README.split("## Set-up")[1].split("\n## ")[0]
    block = re.search(r"```sh\n(.*?)```", setup, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]


def test_every_config_key_is_documented():
    from burnout_app.config import SETTINGS

    section = README.split("<!-- config-keys")[1].split("\n## ")[0]
    for name in SETTINGS:
        assert f"`BURNOUT_{name}`" in section, f"BURNOUT_{name} is not in the README"
