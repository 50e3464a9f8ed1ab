"""HR portals: who may embed the self-check, in which colours, with which EAP contacts.

Portal files live in the instance folder (``instance/portals/*.yaml``) and are
checked at start-up: a bad origin, a colour without enough contrast, a missing
or unsafe logo, or an unknown key stops start-up with one precise line each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import policy
from .content import (
    ContentError,
    ContentProblem,
    duplicate_problems,
    read_yaml,
    schema_problems,
)
from .referrals import Professional

MAX_LOGO_BYTES = 256 * 1024
LOGO_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
# Plain http is accepted only for the machine itself, for trying things out.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
AA_CONTRAST = 4.5


@dataclass(frozen=True)
class Theme:
    primary: str
    primary_dark: str
    logo_path: Path | None
    logo_type: str | None
    logo_alt: str | None


@dataclass(frozen=True)
class Portal:
    id: str
    name: str
    origins: tuple[str, ...]
    theme: Theme
    locale: str | None
    country: str | None
    questionnaire: str | None
    resources: tuple[Professional, ...]
    source_file: str = ""
    declared_hosts: tuple[tuple[str, str], ...] = ()
    """The portal's own link hosts with the reason for each, for a person to review."""

    @property
    def frame_ancestors(self) -> str:
        return " ".join(self.origins)

    @property
    def link_hosts(self) -> frozenset[str]:
        """The hosts the portal declared for its own resource links."""
        return frozenset(host for host, _reason in self.declared_hosts)


@dataclass(frozen=True)
class PortalDirectory:
    portals: Mapping[str, Portal] = field(hash=False)

    def get(self, portal_id: str) -> Portal | None:
        return self.portals.get(portal_id)

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(o for p in self.portals.values() for o in p.origins)

    @property
    def link_hosts(self) -> frozenset[str]:
        return frozenset(h for p in self.portals.values() for h in p.link_hosts)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def darker(colour: str, factor: float = 0.75) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def origin_problem(origin: str) -> str | None:
    """Why a string is not an origin we accept, or None."""
    parts = urlsplit(origin)
    if origin != origin.strip() or "*" in origin:
        return f"{origin!r} is not an origin (no spaces or wildcards)"
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        return f"{origin!r} is not an origin (scheme://host[:port])"
    if parts.path or parts.query or parts.fragment or parts.username:
        return f"{origin!r} is not an origin (scheme://host[:port], no path or trailing slash)"
    if parts.scheme == "http" and parts.netloc.rsplit(":", 1)[0] not in LOCAL_HOSTS:
        return f"{origin!r} must use https (plain http only for localhost)"
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return f"{origin!r} has an invalid port"
    return None


def _portal_problems(
    file: Path,
    data: dict,
    locales: Iterable[str],
    questionnaires: Iterable[str] | None,
) -> list[ContentProblem]:
    name = str(file)
    problems: list[ContentProblem] = []
    for n, origin in enumerate(data["origins"]):
        reason = origin_problem(origin)
        if reason:
            problems.append(ContentProblem(name, f"origins[{n}]", reason))
    colour = data["theme"]["primary_colour"].lower()
    ratio = contrast_ratio(colour, "#ffffff")
    if ratio < AA_CONTRAST:
        problems.append(
            ContentProblem(
                name,
                "theme.primary_colour",
                f"{colour} has a contrast of {ratio:.2f}:1 with white text; WCAG AA needs "
                f"{AA_CONTRAST}:1 (choose a darker colour)",
            )
        )
    logo = data["theme"].get("logo")
    if logo:
        path = (file.parent / logo).resolve()
        suffix = path.suffix.lower()
        where = "theme.logo"
        if suffix not in LOGO_SIGNATURES:
            problems.append(
                ContentProblem(
                    name, where, f"{logo!r}: only PNG or JPEG logos (SVG can carry script)"
                )
            )
        elif not path.is_file():
            problems.append(
                ContentProblem(name, where, f"{logo!r}: no such file next to the portal file")
            )
        else:
            head = path.read_bytes()[:16]
            if not head.startswith(LOGO_SIGNATURES[suffix]):
                problems.append(
                    ContentProblem(
                        name, where, f"{logo!r} is not really a {suffix[1:].upper()} file"
                    )
                )
            elif path.stat().st_size > MAX_LOGO_BYTES:
                problems.append(
                    ContentProblem(
                        name, where, f"{logo!r} is larger than {MAX_LOGO_BYTES // 1024} KiB"
                    )
                )
        if "logo_alt" not in data["theme"]:
            problems.append(ContentProblem(name, "theme.logo_alt", "is required with a logo"))
    locale = data.get("locale")
    if locale is not None and locale not in set(locales):
        problems.append(
            ContentProblem(
                name, "locale", f"{locale!r} is not a shipped locale ({', '.join(locales)})"
            )
        )
    questionnaire = data.get("questionnaire")
    if (
        questionnaire is not None
        and questionnaires is not None
        and questionnaire not in set(questionnaires)
    ):
        problems.append(
            ContentProblem(
                name,
                "questionnaire",
                f"no questionnaire {questionnaire!r} (found: {', '.join(sorted(questionnaires))})",
            )
        )
    resources = data.get("resources", [])
    problems += duplicate_problems(
        name, ((r["id"], ["resources", n, "id"]) for n, r in enumerate(resources)), "resource id"
    )
    return problems


def _policy_problems(
    file: Path, data: dict, allowed_hosts: frozenset[str] | None, known: list[ContentProblem]
) -> list[ContentProblem]:
    """The content policy: no drug named; a declared host is refused if the policy
    refuses it; a resource link goes to the reviewed allowlist or a declared host."""
    declared = frozenset(
        h["host"]
        for h in data.get("hosts", []) or []
        if isinstance(h, dict) and isinstance(h.get("host"), str)
    )
    hosts = None if allowed_hosts is None else allowed_hosts | declared
    return policy.data_problems(str(file), data, hosts, known)


def _build(file: Path, data: dict) -> Portal:
    theme = data["theme"]
    colour = theme["primary_colour"].lower()
    logo = theme.get("logo")
    logo_path = (file.parent / logo).resolve() if logo else None
    return Portal(
        id=data["id"],
        name=data["name"],
        origins=tuple(data["origins"]),
        theme=Theme(
            primary=colour,
            primary_dark=darker(colour),
            logo_path=logo_path,
            logo_type=(
                None
                if not logo_path
                else "image/png"
                if logo_path.suffix.lower() == ".png"
                else "image/jpeg"
            ),
            logo_alt=theme.get("logo_alt"),
        ),
        locale=data.get("locale"),
        country=data.get("country"),
        questionnaire=data.get("questionnaire"),
        resources=tuple(
            Professional(
                id=f"portal_{r['id']}",
                name=r["name"],
                text=r["text"],
                phone=r.get("phone"),
                tel="".join(ch for ch in r.get("phone", "") if ch.isdigit() or ch == "+") or None,
                hours=r.get("hours"),
                url=r.get("url"),
                translate=False,
            )
            for r in data.get("resources", [])
        ),
        source_file=str(file),
        declared_hosts=tuple((h["host"], h["reason"]) for h in data.get("hosts", [])),
    )


def load_portals(
    directory: Path | None,
    locales: Iterable[str],
    questionnaires: Iterable[str] | None,
    allowed_hosts: frozenset[str] | None = None,
) -> PortalDirectory:
    """Load every ``*.yaml`` portal file in a folder (none if it does not exist).

    ``questionnaires`` None skips the questionnaire check; ``allowed_hosts`` is the
    reviewed allowlist (None: not known, links are then only checked for https
    and refused hosts).
    """
    if directory is None or not directory.is_dir():
        return PortalDirectory({})
    locales = list(locales)
    questionnaires = None if questionnaires is None else list(questionnaires)
    problems: list[ContentProblem] = []
    found: dict[str, Portal] = {}
    for file in sorted(directory.glob("*.yaml")):
        try:
            data: Any = read_yaml(file)
        except ContentError as exc:
            problems += exc.problems
            continue
        if not isinstance(data, dict):
            problems.append(
                ContentProblem(str(file), "", "the file must hold a mapping at the top")
            )
            continue
        file_problems = schema_problems(str(file), data, "portal.schema.json")
        if not file_problems:
            file_problems = _portal_problems(file, data, locales, questionnaires)
        file_problems += _policy_problems(file, data, allowed_hosts, file_problems)
        if not file_problems and data["id"] in found:
            other = found[data["id"]].source_file
            file_problems = [
                ContentProblem(
                    str(file), "id", f"duplicate portal id {data['id']!r} (also in {other})"
                )
            ]
        problems += file_problems
        if not file_problems:
            found[data["id"]] = _build(file, data)
    if problems:
        raise ContentError(problems)
    return PortalDirectory(found)
