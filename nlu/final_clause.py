"""The last clause of a message: where a long message of facts puts its question.

"maison de 1970 au fioul, 3 personnes, on veut une pac, quelles aides ?" is mostly facts
(the words of `inform`); what it asks is in "quelles aides". Features of the last clause alone
let the classifier weigh the question more than the facts before it.
"""

from __future__ import annotations

import re

# Clause boundaries: sentence ends, commas, semicolons, colons, dashes between spaces.
BOUNDARY = re.compile(r"[.!?;:,\n]+|\s[-–—]\s")
MAX_CHARS = 2000  # only the head of a huge message is read (bounded time)


def final_clause(text: str, only_multi: bool = True) -> str:
    """The last non-empty clause, lower case; "" for a one-clause message when only_multi."""
    pieces = [p.strip() for p in BOUNDARY.split(str(text)[:MAX_CHARS].lower())]
    pieces = [p for p in pieces if re.search(r"\w", p)]
    if not pieces or (only_multi and len(pieces) < 2):
        return ""
    return pieces[-1]


def final_clause_start(text: str, only_multi: bool = True) -> int | None:
    """Where the last non-empty clause starts in `text`; None as final_clause gives ""."""
    head = str(text)[:MAX_CHARS]
    starts, position = [], 0
    for boundary in [*BOUNDARY.finditer(head), None]:
        end = boundary.start() if boundary else len(head)
        if re.search(r"\w", head[position:end]):
            starts.append(position)
        position = boundary.end() if boundary else position
    if not starts or (only_multi and len(starts) < 2):
        return None
    return starts[-1]
