"""Kept for older imports: the aids engine reads its parameters through `bot.params.Rules`
(one cache by period, one date parser, for every engine)."""

from __future__ import annotations

from bot.params import rule, rule_in_force

__all__ = ["rule", "rule_in_force"]
