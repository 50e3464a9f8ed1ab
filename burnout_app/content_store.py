"""Content loaded once at start-up: questionnaires and referrals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .domain.questionnaire import Questionnaire, load_questionnaires, questionnaire_files
from .domain.referrals import ReferralDirectory, load_referrals


@dataclass(frozen=True)
class ContentStore:
    questionnaires: Mapping[str, Questionnaire] = field(hash=False)
    referrals: ReferralDirectory
    default_questionnaire: str

    def questionnaire(self, questionnaire_id: str) -> Questionnaire | None:
        return self.questionnaires.get(questionnaire_id)


def load_content(config: Mapping[str, Any]) -> ContentStore:
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
    return ContentStore(questionnaires, load_referrals(rdir), default)
