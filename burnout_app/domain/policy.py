"""The content policy: never a drug, and links only to reviewed hosts.

One policy for everything the app loads, shipped or added by an operator:
questionnaires, referrals, portal files and translated catalogs. The deny-list
(``policy/deny-list.yaml``, package data) names medications and drugs in every
shipped language; the reviewed allowlist of link hosts is
``referrals/allowed-hosts.yaml``. Pure functions, no Flask: each returns
`ContentProblem` lines that name the file, the place in it, the word or host,
and the rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .content import ContentProblem, format_path

DENIED = "names a medication or drug; the content policy refuses it"
NOT_REVIEWED = "is not on the reviewed allowlist (referrals/allowed-hosts.yaml)"
REFUSED_HOST = "is refused by the content policy"

# Keys whose string is a link shown to people, a fact's source (recorded, never
# shown as a link), or a host name.
LINK_KEYS = {"url"}
SOURCE_KEYS = {"source", "emergency_source"}
HOST_KEYS = {"host"}
ORIGIN_KEYS = {"origins"}

_URL_IN_TEXT = re.compile(r"\b(?:https?|ftp)://[^\s\"'<>)\]]+", re.IGNORECASE)
# Characters that hide a word from a reader's eye or a matcher: soft hyphen,
# zero-width spaces and joiners, word joiner, BOM, Arabic tatweel and harakat.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x0640, *range(0x064B, 0x0660), 0x0670]
)
_QUOTES = {0x2019: "'", 0x2018: "'", 0x02BC: "'"}
# Arabic attaches "and", "so", "with", "like", "for" and "the" to the word.
_ARABIC_PREFIX = r"(?:[وف])?(?:[بكل]?ال|لل|[بكل])?"
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def normalise(text: str) -> str:
    """NFC, no invisible characters or Arabic diacritics, straight apostrophes."""
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_QUOTES)


def _term_pattern(term: str) -> str:
    """A term as a regex: spaces and hyphens inside it match a space, a hyphen or nothing."""
    parts = re.split(r"[\s\-]+", normalise(term).strip())
    return r"[\s\-\u2010\u2011]*".join(re.escape(p) for p in parts)


@dataclass(frozen=True)
class ContentPolicy:
    """The deny-list compiled into one regex, its exceptions and the refused hosts."""

    terms: frozenset[str]
    exceptions: tuple[str, ...]
    refused_hosts: frozenset[str]
    refused_host_parts: tuple[str, ...]
    pattern: re.Pattern[str]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ContentPolicy:
        terms = {normalise(t).lower() for words in data["terms"].values() for t in words}
        exceptions = tuple(normalise(e["phrase"]).lower() for e in data.get("exceptions", []))

        def alternation(items: Iterable[str]) -> str:
            return "|".join(_term_pattern(t) for t in sorted(items, key=len, reverse=True))

        arabic = {t for t in terms if _ARABIC.search(t)}
        # Exceptions come first: at the same place, an exception wins over a term.
        pattern = re.compile(
            r"(?<!\w)(?:(?P<ok>" + alternation(exceptions) + r")"
            r"|(?P<word>" + alternation(terms - arabic) + r")"
            r"|" + _ARABIC_PREFIX + r"(?P<arabic>" + alternation(arabic) + r"))(?!\w)",
            re.IGNORECASE,
        )
        return cls(
            terms=frozenset(terms),
            exceptions=exceptions,
            refused_hosts=frozenset(h.lower() for h in data.get("refused_hosts", [])),
            refused_host_parts=tuple(p.lower() for p in data.get("refused_host_parts", [])),
            pattern=pattern,
        )

    def denied_words(self, text: str) -> list[str]:
        """Every deny-listed word in the text, as written, in order (exceptions skipped)."""
        found: dict[str, str] = {}
        for match in self.pattern.finditer(normalise(text)):
            word = match.group("word") or match.group("arabic")
            if word:
                found.setdefault(word.lower(), word)
        return list(found.values())

    def host_refused(self, host: str) -> bool:
        """A seed spam host, a host built to sell drugs, or one that names a drug."""
        host = host.lower().rstrip(".")
        if host in self.refused_hosts or any(p in host for p in self.refused_host_parts):
            return True
        return bool(self.denied_words(host))


@cache
def policy() -> ContentPolicy:
    """The shipped policy (read once per process)."""
    text = resources.files("burnout_app.domain").joinpath("policy", "deny-list.yaml")
    return ContentPolicy.from_data(yaml.safe_load(text.read_text("utf-8")))


def denied_words(text: str) -> list[str]:
    """Every deny-listed word in ``text`` (whole words, any case, exceptions skipped)."""
    return policy().denied_words(text)


def host_problems(file: str, path: str, host: str) -> list[ContentProblem]:
    """A host that the policy refuses everywhere, even when declared by a portal."""
    if policy().host_refused(host):
        return [ContentProblem(file, path, f"host {host!r} {REFUSED_HOST}")]
    return []


def link_problems(
    file: str, path: str, url: str, hosts: frozenset[str] | None, *, shown: bool = True
) -> list[ContentProblem]:
    """A link must be https and not refused; a shown link's host must also be reviewed.

    ``hosts`` None means the allowlist is not known here (it is checked where it is).
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() != "https" or not host:
        return [ContentProblem(file, path, f"{url!r} must be an https:// link")]
    refused = host_problems(file, path, host)
    if refused:
        return refused
    if shown and hosts is not None and host not in hosts:
        return [ContentProblem(file, path, f"host {host!r} {NOT_REVIEWED}")]
    return []


def text_problems(
    file: str, path: str, text: str, hosts: frozenset[str] | None = None
) -> list[ContentProblem]:
    """Denied words in a text, and web addresses in it that are not reviewed links."""
    problems = [
        ContentProblem(file, path, f"{word!r} {DENIED}") for word in policy().denied_words(text)
    ]
    for url in _URL_IN_TEXT.findall(text):
        problems += link_problems(file, path, url.rstrip(".,;:!?"), hosts)
    return problems


def _walk(
    file: str, data: Any, hosts: frozenset[str] | None, path: list[Any], key: str
) -> list[ContentProblem]:
    if isinstance(data, Mapping):
        problems = []
        for k, value in data.items():
            if isinstance(k, str):
                problems += text_problems(file, format_path([*path, k]), k, hosts)
            problems += _walk(file, value, hosts, [*path, k], str(k))
        return problems
    if isinstance(data, list):
        return [
            p for n, value in enumerate(data) for p in _walk(file, value, hosts, [*path, n], key)
        ]
    if not isinstance(data, str):
        return []
    where = format_path(path)
    looks_like_url = bool(re.match(r"^[a-z][a-z0-9+.-]*://", data.strip(), re.IGNORECASE))
    if key in LINK_KEYS:
        words = [ContentProblem(file, where, f"{w!r} {DENIED}") for w in denied_words(data)]
        return link_problems(file, where, data, hosts) or words
    if key in SOURCE_KEYS and looks_like_url:
        return link_problems(file, where, data, hosts, shown=False)
    if key in HOST_KEYS:
        return host_problems(file, where, data)
    if key in ORIGIN_KEYS:
        return host_problems(file, where, urlsplit(data).hostname or data)
    return text_problems(file, where, data, hosts)


def data_problems(
    file: str,
    data: Any,
    hosts: frozenset[str] | None = None,
    known: Iterable[ContentProblem] = (),
) -> list[ContentProblem]:
    """Walk every key and string of a content document and apply the policy.

    ``url`` is a link shown to people: https, on ``hosts``. ``source`` and
    ``emergency_source`` back a fact and are never shown as links: https and not
    refused. ``host`` and ``origins`` are host names: not refused. Every other
    string (and every key) is text: no denied word, no unreviewed web address.
    Places already in ``known`` (the schema's problems) are not reported twice.
    """
    seen = {p.path for p in known}
    return [p for p in _walk(file, data, hosts, [], "") if p.path not in seen]


def allowlist_problems(file: str, hosts: Mapping[str, str]) -> list[ContentProblem]:
    """The reviewed allowlist itself: no refused host, no drug word in a reason."""
    problems = []
    for host, reason in hosts.items():
        problems += host_problems(file, f"allowed_hosts.{host}", host)
        problems += text_problems(file, f"allowed_hosts.{host}", str(reason))
    return problems


def _short(msgid: str) -> str:
    one_line = " ".join(msgid.split())
    return one_line if len(one_line) <= 60 else one_line[:57] + "..."


def catalog_files(directory: Path, locales: Iterable[str]) -> list[Path]:
    """The compiled catalogs the app loads, else the .po a locale has instead."""
    files = []
    for locale in locales:
        folder = directory / locale / "LC_MESSAGES"
        for name in ("messages.mo", "messages.po"):
            if (folder / name).is_file():
                files.append(folder / name)
                break
    return files


def catalog_problems(
    directory: Path, locales: Iterable[str], hosts: frozenset[str] | None = None
) -> list[ContentProblem]:
    """Every translation in the catalogs of ``locales``, checked like any text."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    problems: list[ContentProblem] = []
    for file in catalog_files(directory, locales):
        name = str(file)
        try:
            with file.open("rb") as handle:
                catalog = read_mo(handle) if file.suffix == ".mo" else read_po(handle)
        except Exception as exc:  # any unreadable catalog is one problem line
            problems.append(ContentProblem(name, "", f"cannot read catalog: {exc}"))
            continue
        for message in catalog:
            if not message.id or not message.string:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            strings = message.string
            if isinstance(strings, str):
                strings = [strings]
            for text in strings:
                if text:
                    problems += text_problems(name, f"msgid {_short(msgid)!r}", text, hosts)
    return problems
