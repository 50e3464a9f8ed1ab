"""The referral directory (``referrals/*.yaml``) and what to show for an Assessment.

Pure functions, no Flask. Which resources show depends on the Assessment (its
concern and safety flag), the country the person picked and the portal's own
resources. Every link is https and on the reviewed allowlist, and no text names
a drug (see `policy`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import policy
from .content import (
    ContentError,
    ContentProblem,
    duplicate_problems,
    package_content_dir,
    read_yaml,
    schema_problems,
)
from .scoring import Assessment

FILES = {
    "allowed_hosts": ("allowed-hosts.yaml", "allowed-hosts.schema.json"),
    "crisis": ("crisis-lines.yaml", "crisis-lines.schema.json"),
    "guidance": ("guidance.yaml", "guidance.schema.json"),
}


@dataclass(frozen=True)
class CrisisLine:
    name: str
    phone: str
    tel: str
    hours: str
    description: str
    url: str
    source: str
    """Where the facts were checked: recorded for reviewers, never shown to people."""
    verified: dt.date
    sms: str | None = None
    free: bool | None = None
    """True or False only when the source says so; None when it is not known."""


PROFESSIONAL_KINDS = (
    "primary_care",
    "psychologist_register",
    "psychotherapist_register",
    "psychiatry",
)


@dataclass(frozen=True)
class LicensedRoute:
    """A country's own way to reach a licensed professional (a register, a health service)."""

    kind: str
    name: str
    url: str
    source: str
    verified: dt.date


@dataclass(frozen=True)
class CountryEntry:
    name: str
    emergency: str
    lines: tuple[CrisisLine, ...]
    professionals: tuple[LicensedRoute, ...] = ()
    emergency_source: str | None = None
    name_takes_the: bool = False
    """English puts "the" before the name inside a sentence (the United Kingdom)."""


@dataclass(frozen=True)
class HelplineDirectory:
    name: str
    url: str
    description: str
    source: str
    verified: dt.date


@dataclass(frozen=True)
class CrisisHelp:
    """Crisis help for one country; ``known`` is False for the fallback."""

    country: str
    known: bool
    emergency: str | None
    lines: tuple[CrisisLine, ...]
    emergency_advice: str
    directory: HelplineDirectory
    professionals: tuple[LicensedRoute, ...] = ()


@dataclass(frozen=True)
class NextStep:
    key: str
    title: str
    text: str


@dataclass(frozen=True)
class Professional:
    """A kind of licensed help, or a portal's own resource (then with contact details)."""

    id: str
    name: str
    text: str
    phone: str | None = None
    tel: str | None = None
    hours: str | None = None
    url: str | None = None
    translate: bool = True
    """False for a portal's own texts, which are shown as written."""


@dataclass(frozen=True)
class SelfCare:
    dimension_id: str | None
    """None for the general ideas shown when nothing is raised."""
    ideas: tuple[str, ...]


@dataclass(frozen=True)
class ReferralDirectory:
    countries: Mapping[str, CountryEntry] = field(hash=False)
    emergency_advice: str
    directory: HelplineDirectory
    next_steps: Mapping[str, NextStep] = field(hash=False)
    professionals: tuple[Professional, ...]
    self_care: Mapping[str, tuple[str, ...]] = field(hash=False)
    allowed_hosts: frozenset[str]

    @property
    def country_codes(self) -> tuple[str, ...]:
        return tuple(self.countries)

    def crisis_help(self, country: str | None) -> CrisisHelp:
        """Crisis help for a country code, or the fallback for any other."""
        code = (country or "").upper()
        entry = self.countries.get(code)
        if entry is not None:
            return CrisisHelp(
                code,
                True,
                entry.emergency,
                entry.lines,
                self.emergency_advice,
                self.directory,
                entry.professionals,
            )
        return CrisisHelp(code, False, None, (), self.emergency_advice, self.directory)

    def link_allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme == "https" and parts.hostname in self.allowed_hosts


@dataclass(frozen=True)
class ReferralSet:
    """What to show after one Assessment."""

    crisis_first: bool
    next_step: NextStep
    crisis: CrisisHelp
    self_care: tuple[SelfCare, ...]
    professionals: tuple[Professional, ...]


def _iso_dates(value: Any) -> Any:
    """YAML reads 2026-11-21 as a date; schemas see ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_dates(v) for v in value]
    return value


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def load_referrals(directory: Path | None = None) -> ReferralDirectory:
    """Load and validate the referral folder, or raise `ContentError` with every problem."""
    directory = directory or package_content_dir("referrals")
    raw: dict[str, Any] = {}
    problems: list[ContentProblem] = []
    hosts: frozenset[str] | None = None
    for key, (name, schema) in FILES.items():
        path = directory / name
        try:
            data = _iso_dates(read_yaml(path))
        except ContentError as exc:
            problems += exc.problems
            continue
        found = schema_problems(str(path), data, schema)
        if isinstance(data, dict) and not found:
            raw[key] = (str(path), data)
        problems += found
        # The content policy (no drug named, links only to reviewed hosts) holds
        # even in a file with other problems. The allowlist comes first in FILES.
        if key == "allowed_hosts":
            if not found:
                hosts = frozenset(data["allowed_hosts"])
                problems += policy.allowlist_problems(str(path), data["allowed_hosts"])
        else:
            problems += policy.data_problems(str(path), data, hosts, found)
    if problems:
        raise ContentError(problems)

    hosts = frozenset(raw["allowed_hosts"][1]["allowed_hosts"])
    crisis = raw["crisis"][1]
    guidance_file, guidance = raw["guidance"]
    problems += duplicate_problems(
        guidance_file,
        ((p["id"], ["professionals", n, "id"]) for n, p in enumerate(guidance["professionals"])),
        "professional id",
    )
    if problems:
        raise ContentError(problems)

    countries = {
        code: CountryEntry(
            name=entry["name"],
            emergency=entry["emergency"],
            emergency_source=entry.get("emergency_source"),
            name_takes_the=entry.get("name_takes_the", False),
            lines=tuple(
                CrisisLine(
                    name=line["name"],
                    phone=line["phone"],
                    tel=line["tel"],
                    sms=line.get("sms"),
                    hours=line["hours"],
                    free=line.get("free"),
                    description=line["description"],
                    url=line["url"],
                    source=line["source"],
                    verified=_date(line["verified"]),
                )
                for line in entry["lines"]
            ),
            professionals=tuple(
                LicensedRoute(p["kind"], p["name"], p["url"], p["source"], _date(p["verified"]))
                for p in entry.get("professionals", ())
            ),
        )
        for code, entry in crisis["countries"].items()
    }
    fallback = crisis["fallback"]
    d = fallback["directory"]
    return ReferralDirectory(
        countries=countries,
        emergency_advice=fallback["emergency_advice"],
        directory=HelplineDirectory(
            d["name"], d["url"], d["description"], d["source"], _date(d["verified"])
        ),
        next_steps={
            key: NextStep(key, step["title"], step["text"])
            for key, step in guidance["next_steps"].items()
        },
        professionals=tuple(
            Professional(p["id"], p["name"], p["text"]) for p in guidance["professionals"]
        ),
        self_care={k: tuple(v) for k, v in guidance["self_care"].items()},
        allowed_hosts=hosts,
    )


def select_referrals(
    directory: ReferralDirectory,
    assessment: Assessment,
    country: str | None,
    portal_resources: Sequence[Professional] = (),
) -> ReferralSet:
    """The resources to show for one Assessment, country and portal."""
    key = "safety" if assessment.safety_flag else assessment.concern
    raised = assessment.raised
    self_care = tuple(
        SelfCare(d.dimension.id, directory.self_care[d.dimension.id])
        for d in raised
        if d.dimension.id in directory.self_care
    )
    if assessment.safety_flag:
        # After a yes to the safety question, the first ideas are about reaching someone,
        # never "check in again in a few months".
        self_care = (SelfCare(None, directory.self_care["safety"]), *self_care)
    elif not self_care:
        # Nothing raised, or a questionnaire whose dimension ids have no ideas of their own.
        self_care = (SelfCare(None, directory.self_care["general"]),)
    return ReferralSet(
        crisis_first=assessment.safety_flag,
        next_step=directory.next_steps[key],
        crisis=directory.crisis_help(country),
        self_care=self_care,
        professionals=(*portal_resources, *directory.professionals),
    )


@dataclass(frozen=True)
class StaleEntry:
    """A referral entry whose ``verified`` date is older than the review limit."""

    place: str
    """The country code it is listed under, else the directory's field (``directory``)."""
    name: str
    verified: dt.date
    age_days: int
    path: tuple[str | int, ...]
    """Where it was found in the loaded directory (field names, keys, indices)."""


def _dated_entries(
    value: Any, path: tuple[str | int, ...], seen: set[int]
) -> list[tuple[tuple[str | int, ...], Any]]:
    """Every object with a ``verified`` date reachable from ``value``, with its path."""
    if id(value) in seen or isinstance(value, str | bytes | int | float | dt.date | type(None)):
        return []
    seen.add(id(value))
    found = []
    if isinstance(getattr(value, "verified", None), dt.date):
        found.append((path, value))
    if is_dataclass(value):
        children = ((f.name, getattr(value, f.name)) for f in fields(value))
    elif isinstance(value, Mapping):
        children = ((str(k), v) for k, v in value.items())
    elif isinstance(value, list | tuple | frozenset | set):
        children = enumerate(value)
    else:
        return found
    for key, child in children:
        found += _dated_entries(child, (*path, key), seen)
    return found


def stale_entries(
    directory: ReferralDirectory, today: dt.date, max_age_days: int = 365
) -> list[StaleEntry]:
    """Entries (crisis lines, the helpline directory, anything else with a ``verified``
    date) last verified more than ``max_age_days`` before ``today``, oldest first.

    The directory is walked generically, so entries added to its shape later are
    checked too, with no change here.
    """
    stale = []
    for path, entry in _dated_entries(directory, (), set()):
        age = (today - entry.verified).days
        if age <= max_age_days:
            continue
        place = str(path[1]) if len(path) > 1 and path[0] == "countries" else str(path[0])
        name = getattr(entry, "name", None) or type(entry).__name__
        stale.append(StaleEntry(place, str(name), entry.verified, age, path))
    return sorted(stale, key=lambda s: (s.verified, s.place, s.name))
