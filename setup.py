"""Build hook only (metadata lives in setup.cfg): compile the catalogs into the build.

`.po` files are committed and `.mo` files never are, so a wheel or a
non-editable `pip install .` compiles them here. Editable installs get theirs
from `burnout-app translate compile` (run by `make run` and `make test`).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        source = Path(__file__).resolve().parent / "translations"
        for po in source.glob("*/LC_MESSAGES/messages.po"):
            target = Path(self.build_lib, "burnout_app", "translations", po.relative_to(source))
            target = target.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as f:
                catalog = read_po(f)
            with target.open("wb") as f:
                write_mo(f, catalog)


setup(cmdclass={"build_py": BuildWithCatalogs})
