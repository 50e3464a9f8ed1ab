"""Content loaded once at start-up: questionnaires, referrals, portals, held to the policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .domain.content import ContentError, ContentProblem
from .domain.policy import catalog_problems
from .domain.portals import PortalDirectory, load_portals
from .domain.questionnaire import Questionnaire, load_questionnaires, questionnaire_files
from .domain.referrals import ReferralDirectory, load_referrals
from .i18n import catalog_dir


@dataclass(frozen=True)
class ContentStore:
    questionnaires: Mapping[str, Questionnaire] = field(hash=False)
    referrals: ReferralDirectory
    default_questionnaire: str
    portals: PortalDirectory = field(default_factory=lambda: PortalDirectory({}))

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """The reviewed allowlist, plus the hosts portals declared for their own links."""
        return self.referrals.allowed_hosts | self.portals.link_hosts

    def questionnaire(self, questionnaire_id: str) -> Questionnaire | None:
        return self.questionnaires.get(questionnaire_id)


def portals_dir(config: Mapping[str, Any], instance_path: str | None) -> Path | None:
    if config["PORTALS_DIR"]:
        return Path(config["PORTALS_DIR"])
    return Path(instance_path) / "portals" if instance_path else None


def load_content(
    config: Mapping[str, Any],
    instance_path: str | None = None,
    locales: tuple[str, ...] = (),
    questionnaire_paths: list[Path] | None = None,
) -> ContentStore:
    """Load and validate every content file, or raise `ContentError` (start-up stops).

    Every file is held to the content policy (`domain.policy`): questionnaires,
    referrals, portals and the catalogs of ``locales``. ``questionnaire_paths``
    replaces the questionnaire folder (``burnout-app validate FILE...``); then the
    default questionnaire need not be among them.
    """
    qdir = Path(config["QUESTIONNAIRES_DIR"]) if config["QUESTIONNAIRES_DIR"] else None
    rdir = Path(config["REFERRALS_DIR"]) if config["REFERRALS_DIR"] else None
    problems: list[ContentProblem] = []
    referrals = questionnaires = portals = None
    try:
        referrals = load_referrals(rdir)
    except ContentError as exc:
        problems += exc.problems
    # Without a valid allowlist, links are still checked for https and refused hosts.
    hosts = referrals.allowed_hosts if referrals else None
    paths = questionnaire_files(qdir) if questionnaire_paths is None else questionnaire_paths
    try:
        questionnaires = load_questionnaires(paths, hosts)
    except ContentError as exc:
        problems += exc.problems
    default = config["DEFAULT_QUESTIONNAIRE"]
    if questionnaires is not None and questionnaire_paths is None and default not in questionnaires:
        raise ValueError(
            f"BURNOUT_DEFAULT_QUESTIONNAIRE={default!r}: no such questionnaire "
            f"(found: {', '.join(sorted(questionnaires))})"
        )
    try:
        portals = load_portals(portals_dir(config, instance_path), locales, questionnaires, hosts)
    except ContentError as exc:
        problems += exc.problems
    # What translators wrote is held to the same rule as what operators add.
    problems += catalog_problems(catalog_dir(config), locales, hosts)
    if problems or referrals is None or questionnaires is None or portals is None:
        raise ContentError(problems)
    default = default if default in questionnaires else next(iter(questionnaires), default)
    return ContentStore(questionnaires, referrals, default, portals)
