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
import struct
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
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff\u0640\u064b-\u065f\u0670]")
_QUOTES = re.compile("[\u2018\u2019\u02bc]")
_SEPARATOR = r"[\s\-\u2010\u2011]+"
# Arabic attaches "and", "so", "with", "like", "for" and "the" to the word.
_ARABIC_PREFIX = r"(?:[وف])?(?:[بكل]?ال|لل|[بكل])?"
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """NFC, no invisible characters or Arabic diacritics, straight apostrophes."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if _QUOTES.search(text):
        text = _QUOTES.sub("'", text)
    return text


def _term_pattern(term: str) -> str:
    """A term as a regex: spaces and hyphens inside it match any run of spaces or hyphens."""
    parts = re.split(r"[\s\-]+", term.strip())
    return _SEPARATOR.join(re.escape(p) for p in parts)


@dataclass(frozen=True)
class ContentPolicy:
    """The deny-list compiled into one regex, its exceptions and the refused hosts."""

    terms: frozenset[str]
    exceptions: tuple[str, ...]
    refused_hosts: frozenset[str]
    refused_host_parts: tuple[str, ...]
    pattern: re.Pattern[str]
    first_words: frozenset[str]
    """The first word of every term: a text with none of them needs no regex."""

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
            first_words=frozenset(_WORD.match(t).group(0) for t in terms),
        )

    def _may_match(self, text: str) -> bool:
        """False when no word of the text starts a term (then the regex cannot match)."""
        for word in _WORD.findall(text.lower()):
            if word in self.first_words:
                return True
            # Up to three Arabic letters of attached prefixes (و ف ب ك ل ال).
            if _ARABIC.match(word) and any(word[k:] in self.first_words for k in (1, 2, 3, 4)):
                return True
        return False

    def denied_words(self, text: str) -> list[str]:
        """Every deny-listed word in the text, as written, in order (exceptions skipped)."""
        text = normalise(text)
        if not self._may_match(text):
            return []
        found: dict[str, str] = {}
        for match in self.pattern.finditer(text):
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
    file: str, path: str, text: str, hosts: frozenset[str] | None = None, *, shown: bool = True
) -> list[ContentProblem]:
    """Denied words in a text, and web addresses in it that are not reviewed links.

    ``shown`` False is for a fact's source: its addresses need https, not review.
    """
    problems = [
        ContentProblem(file, path, f"{word!r} {DENIED}") for word in policy().denied_words(text)
    ]
    for url in _URL_IN_TEXT.findall(text):
        problems += link_problems(file, path, url.rstrip(".,;:!?"), hosts, shown=shown)
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
    if key in SOURCE_KEYS:
        if looks_like_url:
            return link_problems(file, where, data, hosts, shown=False)
        return text_problems(file, where, data, hosts, shown=False)
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


def _mo_messages(data: bytes) -> list[tuple[str, list[str]]]:
    """(msgid, translations) from a compiled GNU catalog; fast, for start-up."""
    order = "<" if data[:4] == b"\xde\x12\x04\x95" else ">"
    if order == ">" and data[:4] != b"\x95\x04\x12\xde":
        raise ValueError("not a compiled catalog (.mo)")
    count, originals, translations = struct.unpack(order + "3I", data[8:20])
    messages = []
    for n in range(count):
        length, start = struct.unpack(order + "2I", data[originals + 8 * n : originals + 8 * n + 8])
        msgid = data[start : start + length].decode("utf-8")
        length, start = struct.unpack(
            order + "2I", data[translations + 8 * n : translations + 8 * n + 8]
        )
        strings = data[start : start + length].decode("utf-8").split("\x00")
        if msgid:  # the empty msgid is the catalog's header
            messages.append((msgid.split("\x00")[0].split("\x04")[-1], strings))
    return messages


def _po_messages(file: Path) -> list[tuple[str, list[str]]]:
    from babel.messages.pofile import read_po

    with file.open("rb") as handle:
        catalog = read_po(handle)
    messages = []
    for message in catalog:
        if message.id:
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            strings = [message.string] if isinstance(message.string, str) else message.string
            messages.append((msgid, [s for s in strings if s]))
    return messages


def catalog_problems(
    directory: Path, locales: Iterable[str], hosts: frozenset[str] | None = None
) -> list[ContentProblem]:
    """Every translation in the catalogs of ``locales``, checked like any text."""
    problems: list[ContentProblem] = []
    for file in catalog_files(directory, locales):
        name = str(file)
        try:
            if file.suffix == ".mo":
                messages = _mo_messages(file.read_bytes())
            else:
                messages = _po_messages(file)
        except (OSError, ValueError, struct.error) as exc:
            problems.append(ContentProblem(name, "", f"cannot read catalog: {exc}"))
            continue
        for msgid, strings in messages:
            for text in strings:
                problems += text_problems(name, f"msgid {_short(msgid)!r}", text, hosts)
    return problems
