"""`make sbom`: a CycloneDX SBOM and a licence list; every runtime licence suits Apache-2.0."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import Distribution

import pytest
from packaging.utils import canonicalize_name

from tools.sbom import licence_verdict, licence_verdicts, runtime_distributions

from .conftest import REPO

RUNTIME = runtime_distributions()
DEPENDENCIES = {name: d for name, d in RUNTIME.items() if name != "burnout-app"}


def test_runtime_closure_is_the_apps_requirements_without_test_tools():
    for needed in ("flask", "weasyprint", "wtforms", "pyyaml", "jinja2", "fonttools", "brotli"):
        assert needed in DEPENDENCIES
    for tool in ("pytest", "playwright", "ruff", "cyclonedx-bom", "pypdf"):
        assert tool not in RUNTIME


def test_every_runtime_licence_is_compatible_with_apache_2():
    verdicts = licence_verdicts(DEPENDENCIES.values())
    assert len(verdicts) == len(DEPENDENCIES) > 25
    assert [f"{v.name}: {v.note}" for v in verdicts if not v.compatible] == []
    assert all(v.spdx for v in verdicts)


def fake_distribution(tmp_path, name: str, *lines: str) -> Distribution:
    info = tmp_path / f"{name}-1.0.dist-info"
    info.mkdir()
    body = "\n".join(["Metadata-Version: 2.4", f"Name: {name}", "Version: 1.0", *lines])
    (info / "METADATA").write_text(body + "\n", "utf-8")
    (dist,) = Distribution.discover(name=name, path=[str(tmp_path)])
    return dist


@pytest.mark.parametrize(
    ("lines", "compatible"),
    [
        (["License-Expression: GPL-3.0-only"], False),
        (["License-Expression: AGPL-3.0-only"], False),
        (["Classifier: License :: OSI Approved :: GNU General Public License v3 (GPLv3)"], False),
        (["License: All rights reserved"], False),
        ([], False),
        (["License-Expression: MIT OR GPL-3.0-only"], True),
        (["License-Expression: Apache-2.0"], True),
        (["Classifier: License :: OSI Approved :: BSD License"], True),
        (["License: ZPL 2.1"], True),
    ],
)
def test_licence_check_refuses_copyleft_and_unknown_licences(tmp_path, lines, compatible):
    verdict = licence_verdict(fake_distribution(tmp_path, "somepackage", *lines))
    assert verdict.compatible is compatible
    if not compatible:
        assert verdict.note


@pytest.mark.slow
def test_sbom_is_cyclonedx_json_listing_every_runtime_dependency(tmp_path):
    # The command `make sbom` runs, on this environment instead of a fresh one (faster).
    out = tmp_path / "sbom"
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "sbom.py"), str(out), "--python", sys.executable],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    text = (out / "burnout-app.cdx.json").read_text("utf-8")
    bom = json.loads(text)
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    root = bom["metadata"]["component"]
    assert (root["name"], root["type"]) == ("burnout-app", "application")
    assert root["licenses"][0]["license"]["id"] == "Apache-2.0"
    components = {canonicalize_name(c["name"]): c for c in bom["components"]}
    for name, dist in DEPENDENCIES.items():
        component = components[name]
        assert component["version"] == dist.version
        assert component["purl"].startswith("pkg:pypi/")
        assert component.get("licenses"), name
    (direct,) = [d for d in bom["dependencies"] if d["ref"] == root["bom-ref"]]
    assert any(ref.lower().startswith("weasyprint==") for ref in direct["dependsOn"])
    # The licence list names every runtime dependency, with its verdict.
    listed = {row["name"]: row for row in json.loads((out / "licences.json").read_text())}
    assert set(listed) == set(DEPENDENCIES)
    assert all(row["compatible"] for row in listed.values())
    table = (out / "licences.md").read_text("utf-8")
    assert all(f"| {name} | " in table for name in DEPENDENCIES)
