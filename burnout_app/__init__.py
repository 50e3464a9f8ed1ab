"""Burnout Self-Check: a non-diagnostic burnout self-assessment and referral app."""

__version__ = "0.1.0"
