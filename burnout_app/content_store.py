"""Content loaded once at start-up: questionnaires and referrals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .domain.content import ContentError
from .domain.portals import PortalDirectory, load_portals
from .domain.questionnaire import Questionnaire, load_questionnaires, questionnaire_files
from .domain.referrals import ReferralDirectory, load_referrals


@dataclass(frozen=True)
class ContentStore:
    questionnaires: Mapping[str, Questionnaire] = field(hash=False)
    referrals: ReferralDirectory
    default_questionnaire: str
    portals: PortalDirectory = field(default_factory=lambda: PortalDirectory({}))

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """The reviewed allowlist, plus the hosts of the portals' own resources."""
        return self.referrals.allowed_hosts | self.portals.link_hosts

    def questionnaire(self, questionnaire_id: str) -> Questionnaire | None:
        return self.questionnaires.get(questionnaire_id)


def load_content(
    config: Mapping[str, Any], instance_path: str | None = None, locales: tuple[str, ...] = ()
) -> ContentStore:
    """Load and validate every content file, or raise `ContentError` (start-up stops)."""
    qdir = Path(config["QUESTIONNAIRES_DIR"]) if config["QUESTIONNAIRES_DIR"] else None
    rdir = Path(config["REFERRALS_DIR"]) if config["REFERRALS_DIR"] else None
    questionnaires = load_questionnaires(questionnaire_files(qdir))
    default = config["DEFAULT_QUESTIONNAIRE"]
    if default not in questionnaires:
        raise ValueError(
            f"BURNOUT_DEFAULT_QUESTIONNAIRE={default!r}: no such questionnaire "
            f"(found: {', '.join(sorted(questionnaires))})"
        )
    if config["PORTALS_DIR"]:
        pdir = Path(config["PORTALS_DIR"])
    else:
        pdir = Path(instance_path) / "portals" if instance_path else None
    problems = []
    try:
        referrals = load_referrals(rdir)
    except ContentError as exc:
        problems += exc.problems
    try:
        portals = load_portals(pdir, locales, questionnaires)
    except ContentError as exc:
        problems += exc.problems
    if problems:
        raise ContentError(problems)
    return ContentStore(questionnaires, referrals, default, portals)
