"""Collects what the estimate assumed, the warnings of uncertain figures and the dates of
the prices, so that the result can say them to the user (in French)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.params import ParameterValue, parameter


@dataclass
class Notes:
    date: dt.date
    assumptions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def param(self, path: str) -> ParameterValue:
        """A savings parameter in force on the profile's date; its warning, if any, is kept."""
        found = parameter(f"savings.{path}", self.date)
        if found.uncertain:
            self.warn(found.uncertain)
        return found

    def value(self, path: str):
        return self.param(path).value

    def assume(self, sentence: str, first: bool = False) -> None:
        """`first`: the main assumption, shown first (and alone in a short chat answer)."""
        if sentence in self.assumptions:
            return
        if first:
            self.assumptions.insert(0, sentence)
        else:
            self.assumptions.append(sentence)

    def warn(self, sentence: str) -> None:
        if sentence not in self.warnings:
            self.warnings.append(sentence)
