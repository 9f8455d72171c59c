"""Collects what the estimate assumed, the warnings of uncertain figures and the dates of
the prices, so that the result can say them to the user (in French)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.params import ParameterValue, Rules
from bot.savings.assumptions_fr import assumption_sentence


@dataclass
class Notes:
    date: dt.date
    assumptions: list[str] = field(default_factory=list)
    assumption_codes: list[str] = field(default_factory=list)  # same order as assumptions
    rules: Rules = field(init=False)

    def __post_init__(self) -> None:
        self.rules = Rules(self.date, prefix="savings.")
        self.date = self.rules.on

    @property
    def warnings(self) -> list[str]:
        """Warnings of uncertain figures, collected by the one rules accessor."""
        return self.rules.warnings

    def param(self, path: str) -> ParameterValue:
        """A savings parameter in force on the profile's date; its warning, if any, is kept."""
        return self.rules.param(path)

    def value(self, path: str):
        return self.rules.value(path)

    def has(self, path: str) -> bool:
        return self.rules.has(path)

    def assume(self, code: str, first: bool = False, **values: Any) -> None:
        """One assumption by its code (wording: assumptions_fr.py). `first`: the main
        assumption, shown first (and alone in a short chat answer)."""
        sentence = assumption_sentence(code, values)
        if sentence in self.assumptions:
            return
        if first:
            self.assumptions.insert(0, sentence)
            self.assumption_codes.insert(0, code)
        else:
            self.assumptions.append(sentence)
            self.assumption_codes.append(code)

    def warn(self, sentence: str) -> None:
        self.rules.warn(sentence)
