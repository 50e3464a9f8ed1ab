"""`pip install .` (not editable) carries the content folders and works from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        cwd=out,
    )
    (path,) = out.glob("burnout_app-*.whl")
    return path


@pytest.mark.slow
def test_wheel_carries_content(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "burnout_app/questionnaires/burnout-self-check.yaml",
        "burnout_app/questionnaires/burnout-check-in.yaml",
        "burnout_app/domain/schemas/questionnaire.schema.json",
        "burnout_app/domain/policy/deny-list.yaml",
        "burnout_app/referrals/crisis-lines.yaml",
        "burnout_app/static/fonts/NotoSansArabic-Regular.ttf",
        "burnout_app/templates/summary/summary.html",
    ):
        assert needed in names
    # Every committed catalog is compiled into the wheel.
    for po in REPO.glob("translations/*/LC_MESSAGES/messages.po"):
        relative = po.relative_to(REPO).with_suffix(".mo")
        assert f"burnout_app/{relative}" in names


@pytest.mark.slow
def test_installed_copy_validates_from_elsewhere(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import burnout_app, sys; from burnout_app.cli import main; "
        "print(burnout_app.__file__); sys.argv=['burnout-app','validate']; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert first.startswith(str(target))
    # The questionnaires read are the installed files, not the repository's.
    assert any(
        line.startswith(f"ok  {target}") and "burnout-self-check 1.0" in line for line in rest
    )
    assert any(line.startswith("ok  referrals: 35 countries") for line in rest)


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_serves_german_from_another_directory(wheel, tmp_path):
    """The operator's path: build a wheel, install it, run `burnout-app serve` elsewhere."""
    import sysconfig
    import time
    import urllib.request

    from .test_serve import served

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ],
        check=True,
    )
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # The dependencies come from the test environment (no network needed); the app
    # itself is the wheel's copy, which comes first on the path.
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # A wheel may unpack a .po after its .mo: make every .po the newer file, as
    # that install did, so a check by modification time would refuse to start.
    time.sleep(0.01)
    for po in (site / "burnout_app" / "translations").glob("*/LC_MESSAGES/messages.po"):
        po.touch()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with served(elsewhere, "--workers", "1", exe=venv / "bin" / "burnout-app") as (port, proc, _):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/de/", timeout=10) as r:
            html = r.read().decode()
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
    assert '<html lang="de"' in html
    assert "Burnout-Selbsttest" in html
    assert str(venv).encode() in cmdline  # served by the fresh venv's own interpreter


@pytest.mark.slow
def test_wheel_ships_the_fonts_licence(wheel):
    archive = zipfile.ZipFile(wheel)
    fonts = [n for n in archive.namelist() if n.startswith("burnout_app/static/fonts/")]
    assert any(n.endswith(".ttf") for n in fonts)
    assert "burnout_app/static/fonts/OFL.txt" in fonts
    text = archive.read("burnout_app/static/fonts/OFL.txt").decode("utf-8")
    assert "SIL OPEN FONT LICENSE" in text.upper() and "Version 1.1" in text
    # Every bundled font family is named in the licence file that travels with it.
    for family in ("Noto Sans", "Noto Sans Arabic"):
        assert family in text
    # The wheel's metadata declares the app's own licence and carries its text.
    metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    assert "License: Apache-2.0" in archive.read(metadata).decode("utf-8")
    assert any(
        n.endswith(".dist-info/licenses/LICENSE") or n.endswith("/LICENSE")
        for n in archive.namelist()
    )
