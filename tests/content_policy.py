"""The content policy as the tests use it: the package's own deny-list, no second list.

`denied_terms` is `burnout_app.domain.policy.denied_words`, lower-cased and
sorted, so the tests hold every page to exactly the rule the app enforces on
its content at start-up.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from burnout_app.domain.policy import denied_words


def denied_terms(text: str) -> list[str]:
    """Every deny-listed term that occurs in the text as a whole word."""
    return sorted({word.lower() for word in denied_words(text)})


def bad_links(html: str, allowed_hosts: frozenset[str]) -> list[str]:
    """Links and resources that leave the app other than to allowlisted https hosts."""
    bad = []
    for url in re.findall(r'(?:href|src|action)="([^"]*)"', html):
        if url.startswith(("/", "#", "tel:", "sms:")) or url == "":
            continue
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.hostname not in allowed_hosts:
            bad.append(url)
    return bad
