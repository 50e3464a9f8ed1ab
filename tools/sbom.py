"""`make sbom`: a CycloneDX SBOM of the installed app, and the licence list with its check.

    python tools/sbom.py OUTDIR                  # installs the app into OUTDIR/venv first
    python tools/sbom.py OUTDIR --python PYTHON  # describes an existing environment instead

Writes OUTDIR/burnout-app.cdx.json (CycloneDX 1.6, made by cyclonedx-py), and
OUTDIR/licences.md and OUTDIR/licences.json (every runtime dependency, its declared
licence and the verdict; made here, with pip-licenses adding the licence texts).
Exits 1 when a runtime dependency's licence is not compatible with Apache-2.0 or has
not been reviewed. Run with the project's .venv, where cyclonedx-bom and pip-licenses
are installed (the `sbom` extra).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from importlib.metadata import Distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
APP = "burnout-app"

# Licences an Apache-2.0 application may depend on, as SPDX ids. Permissive ones, and
# weak copyleft ones used as separate, unmodified libraries (their own terms still
# apply to changes made to them).
PERMISSIVE = {
    "0BSD",
    "Apache-2.0",
    "BSD",  # the trove classifier "BSD License" names no variant; every variant is permissive
    "BSD-2-Clause",
    "BSD-3-Clause",
    "HPND",
    "ISC",
    "MIT",
    "MIT-0",
    "MIT-CMU",
    "PSF-2.0",
    "Unlicense",
    "ZPL-2.1",
}
WEAK_COPYLEFT = {
    "MPL-1.1",
    "MPL-2.0",
    "LGPL-2.0-or-later",
    "LGPL-2.1-or-later",
    "LGPL-3.0-or-later",
}
COMPATIBLE = PERMISSIVE | WEAK_COPYLEFT

# Trove classifiers and free-text License fields, to SPDX ids.
NAMES = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: MIT No Attribution License (MIT-0)": "MIT-0",
    "License :: OSI Approved :: BSD License": "BSD",
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: OSI Approved :: Zope Public License": "ZPL-2.1",
    "License :: OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)": "MPL-1.1",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)": (
        "LGPL-2.0-or-later"
    ),
    "License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)": (
        "LGPL-3.0-or-later"
    ),
    "License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)": (
        "GPL-2.0-or-later"
    ),
    "License :: OSI Approved :: GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "License :: OSI Approved :: GNU Affero General Public License v3": "AGPL-3.0-only",
    "License :: OSI Approved :: The Unlicense (Unlicense)": "Unlicense",
    "License :: OSI Approved :: Historical Permission Notice and Disclaimer (HPND)": "HPND",
    "ZPL 2.1": "ZPL-2.1",
}

# Read by a person: dependencies whose metadata alone does not settle the question.
REVIEWED = {
    "pyphen": (
        "MPL-1.1 OR LGPL-2.0-or-later OR GPL-2.0-or-later",
        "tri-licensed (its LICENSE file: GPL 2.0+/LGPL 2.1+/MPL 1.1); used under MPL-1.1. "
        "Its hyphenation dictionaries come from LibreOffice under GPL, LGPL and/or MPL; "
        "WeasyPrint loads them, this app does not change them.",
    ),
}


@dataclass(frozen=True)
class LicenceVerdict:
    name: str
    version: str
    declared: str
    """As the package states it: License-Expression, classifiers or License field."""
    spdx: str
    """The SPDX expression read from it ('' when it could not be read)."""
    compatible: bool
    note: str = ""


def runtime_distributions(
    path: list[str] | None = None, root: str = APP
) -> dict[str, Distribution]:
    """The app's distribution and everything it needs at run time, by name.

    The app's own extras are left out; extras that a dependency asks of another
    (WeasyPrint needs ``fonttools[woff]``) are followed.
    """
    found: dict[str, Distribution] = {}
    followed: set[tuple[str, str]] = set()
    todo: list[tuple[str, str]] = [(root, "")]
    while todo:
        name, extra = todo.pop()
        name = canonicalize_name(name)
        if (name, extra) in followed:
            continue
        followed.add((name, extra))
        dist = found.get(name) or next(
            iter(Distribution.discover(name=name, path=path or sys.path)), None
        )
        if dist is None:
            raise LookupError(f"{name} is required but not installed")
        found[name] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
                todo += [(requirement.name, e) for e in ("", *requirement.extras)]
    return found


def _declared(dist: Distribution) -> tuple[str, list[str]]:
    """(what the package says, the SPDX ids it names, any one of which may be chosen)."""
    meta = dist.metadata
    if meta.get("License-Expression"):
        expression = meta["License-Expression"].strip()
        return expression, [part.strip("() ") for part in expression.split(" OR ")]
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return "; ".join(classifiers), [NAMES.get(c, "") for c in classifiers]
    text = (meta.get("License") or "").strip()
    return text, [NAMES.get(text, text if text in COMPATIBLE else "")]


def licence_verdict(dist: Distribution) -> LicenceVerdict:
    """Whether one distribution's licence lets an Apache-2.0 application depend on it."""
    name = canonicalize_name(dist.metadata["Name"])
    declared, choices = _declared(dist)
    note = ""
    if name in REVIEWED:
        expression, note = REVIEWED[name]
        choices = [part.strip() for part in expression.split(" OR ")]
    # An alternative is usable when every licence it joins with AND is ("MIT AND PSF-2.0").
    usable = [
        c for c in choices if c and all(p.strip("() ") in COMPATIBLE for p in c.split(" AND "))
    ]
    if not usable:
        known = [c for c in choices if c]
        note = note or (
            f"not compatible with Apache-2.0: {' OR '.join(known)}"
            if known
            else "licence not recognised: review it and add it to tools/sbom.py"
        )
    spdx = " OR ".join(c for c in choices if c)
    return LicenceVerdict(name, dist.version, declared, spdx, bool(usable), note)


def licence_verdicts(dists: Iterable[Distribution]) -> list[LicenceVerdict]:
    return sorted((licence_verdict(d) for d in dists), key=lambda v: v.name)


def _environment_path(python: str) -> list[str]:
    out = subprocess.run(
        [python, "-c", "import json, sys; print(json.dumps(sys.path))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def _root_pyproject(dist: Distribution, target: Path) -> Path:
    """A PEP 621 description of the app, from its installed metadata, for cyclonedx-py."""
    meta = dist.metadata
    runtime = [r for r in dist.requires or [] if "extra ==" not in r]
    target.write_text(
        "[project]\n"
        f"name = {json.dumps(meta['Name'])}\n"
        f"version = {json.dumps(dist.version)}\n"
        f"description = {json.dumps(meta['Summary'])}\n"
        f"license = {json.dumps(meta['License'])}\n"
        f"dependencies = {json.dumps(runtime)}\n",
        "utf-8",
    )
    return target


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def write_licence_list(verdicts: list[LicenceVerdict], out: Path) -> None:
    (out / "licences.json").write_text(
        json.dumps([asdict(v) for v in verdicts], indent=2) + "\n", "utf-8"
    )
    rows = [
        "# Runtime dependencies and their licences",
        "",
        "Made by `make sbom`. Every package the installed app needs at run time.",
        "",
        "| package | version | licence (SPDX) | compatible with Apache-2.0 | note |",
        "|---|---|---|---|---|",
    ]
    for v in verdicts:
        rows.append(
            f"| {v.name} | {v.version} | {v.spdx or v.declared} | "
            f"{'yes' if v.compatible else 'NO'} | {v.note} |"
        )
    (out / "licences.md").write_text("\n".join(rows) + "\n", "utf-8")


def build(out: Path, python: str | None = None) -> list[LicenceVerdict]:
    """Write the SBOM and the licence list into ``out``; return the verdicts."""
    out.mkdir(parents=True, exist_ok=True)
    if python is None:
        venv = out / "venv"
        # No pip or setuptools inside: the environment holds the app and its needs only.
        subprocess.run(
            [sys.executable, "-m", "venv", "--clear", "--without-pip", str(venv)], check=True
        )
        python = str(venv / "bin" / "python")
        subprocess.run(
            [sys.executable, "-m", "pip", "--python", python, "install", "-q", str(REPO)],
            check=True,
        )
    dists = runtime_distributions(_environment_path(python))
    app = dists.pop(APP)
    subprocess.run(
        [
            _tool("cyclonedx-py"),
            "environment",
            "--pyproject",
            str(_root_pyproject(app, out / "root-pyproject.toml")),
            "--mc-type",
            "application",
            "--output-reproducible",
            "--output-format",
            "JSON",
            "--output-file",
            str(out / "burnout-app.cdx.json"),
            python,
        ],
        check=True,
    )
    verdicts = licence_verdicts(dists.values())
    write_licence_list(verdicts, out)
    # The licence texts themselves, for a NOTICE or an attribution page.
    subprocess.run(
        [
            _tool("pip-licenses"),
            "--python",
            python,
            "--from=mixed",
            "--format=json",
            "--with-license-file",
            "--no-license-path",
            "--with-urls",
            "--output-file",
            str(out / "licence-texts.json"),
            "--packages",
            *(d.metadata["Name"] for d in dists.values()),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write into")
    parser.add_argument("--python", help="describe this interpreter's environment instead")
    args = parser.parse_args(argv)
    verdicts = build(args.out, args.python)
    bad = [v for v in verdicts if not v.compatible]
    for v in bad:
        print(f"{v.name} {v.version}: {v.note} (declared: {v.declared})", file=sys.stderr)
    print(
        f"wrote {args.out / 'burnout-app.cdx.json'} and {args.out / 'licences.md'}: "
        f"{len(verdicts)} runtime dependencies, {len(bad)} with a licence problem"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
