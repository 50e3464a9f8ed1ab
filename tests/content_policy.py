"""The content policy shared by the tests: no medication or drug names, only allowed links.

Kept in the tests on purpose: the app's own data must never need this list.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Medicines, drug classes and other substances, in the languages we ship or will ship.
DENY = [
    # English: words for medicines and classes
    "medication",
    "medications",
    "medicine",
    "medicines",
    "drug",
    "drugs",
    "pill",
    "pills",
    "tablet",
    "tablets",
    "prescription",
    "prescribe",
    "prescribed",
    "dose",
    "dosage",
    "antidepressant",
    "antidepressants",
    "anxiolytic",
    "sedative",
    "sedatives",
    "hypnotic",
    "tranquilizer",
    "tranquiliser",
    "stimulant",
    "stimulants",
    "ssri",
    "ssris",
    "snri",
    "benzodiazepine",
    "benzodiazepines",
    "beta blocker",
    "beta-blocker",
    "supplement",
    "supplements",
    # generic and brand names
    "sertraline",
    "fluoxetine",
    "escitalopram",
    "citalopram",
    "paroxetine",
    "venlafaxine",
    "duloxetine",
    "bupropion",
    "mirtazapine",
    "trazodone",
    "agomelatine",
    "vortioxetine",
    "diazepam",
    "lorazepam",
    "alprazolam",
    "clonazepam",
    "zolpidem",
    "zopiclone",
    "melatonin",
    "modafinil",
    "methylphenidate",
    "lithium",
    "quetiapine",
    "propranolol",
    "ketamine",
    "esketamine",
    "psilocybin",
    "prozac",
    "zoloft",
    "lexapro",
    "xanax",
    "valium",
    "ambien",
    "wellbutrin",
    "cymbalta",
    "effexor",
    "ritalin",
    # other substances
    "cannabis",
    "cbd",
    "caffeine",
    "alcohol",
    "nicotine",
    "valerian",
    "ashwagandha",
    "st john's wort",
    "hypericum",
    # Spanish, French, German, Portuguese
    "medicamento",
    "medicamentos",
    "medicación",
    "fármaco",
    "fármacos",
    "pastilla",
    "pastillas",
    "antidepresivo",
    "antidepresivos",
    "médicament",
    "médicaments",
    "antidépresseur",
    "antidépresseurs",
    "comprimé",
    "comprimés",
    "somnifère",
    "medikament",
    "medikamente",
    "arznei",
    "arzneimittel",
    "tablette",
    "tabletten",
    "antidepressivum",
    "antidepressiva",
    "psychopharmaka",
    "remédio",
    "remédios",
    "medicação",
    "comprimido",
    "comprimidos",
    "antidepressivo",
    "antidepressivos",
    # Arabic
    "دواء",
    "أدوية",
    "الأدوية",
    "مضاد للاكتئاب",
    "مضادات الاكتئاب",
    "حبوب",
]

_PATTERN = re.compile(
    r"(?<![\w])("
    + "|".join(re.escape(t) for t in sorted(DENY, key=len, reverse=True))
    + r")(?![\w])",
    re.IGNORECASE,
)


def denied_terms(text: str) -> list[str]:
    """Every deny-listed term that occurs in the text as a whole word."""
    return sorted({m.group(1).lower() for m in _PATTERN.finditer(text)})


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
