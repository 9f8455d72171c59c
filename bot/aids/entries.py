"""Building the aid entries of the result (contract §4), always in the same key order."""

from __future__ import annotations

from typing import Any

from bot.aids.reasons_fr import Reason, sentence

# Code of a note or condition written in a parameter file (its own wording).
PARAMETER_WORDING = {"conditions": "local_condition", "notes": "parameter_note"}


def entry(aid: str, *, kind: str, eligible: bool | None, source: str,
          reasons: list[Reason] | None = None, work: str | None = None,
          amount: int | None = None, has_amount: bool = True, **extra: Any) -> dict[str, Any]:
    """One aid entry. `eligible` None = not computable (a reason says which fact is missing);
    grants carry `amount_eur` (None when not computable, 0 when not eligible). Each decision
    gives its French sentence (`reasons`) and its stable codes (`reason_codes`)."""
    result: dict[str, Any] = {"aid": aid}
    if work is not None:
        result["work"] = work
    if has_amount:
        result["amount_eur"] = amount if eligible is not False else 0
    result["kind"] = kind
    result["eligible"] = eligible
    # Retained = counted in the plan; the engine clears it for the less favourable of two
    # funding routes that exclude each other (still eligible, with its amount).
    result["retained"] = eligible is True
    result["reasons"] = []
    result["reason_codes"] = []
    for decision in reasons or []:
        add_reason(result, decision)
    result["source"] = source
    result["sources"] = []  # named primary references, filled in by the engine
    for key, value in extra.items():
        if value is not None and value != [] and value != {}:
            if key in ("notes", "conditions"):  # sentences and their codes
                # A plain string is a parameter's own wording (a local scheme's condition).
                result[key] = [item if isinstance(item, str) else sentence(item)
                               for item in value]
                result[key[:-1] + "_codes"] = [
                    code for item in value
                    for code in ((PARAMETER_WORDING[key],) if isinstance(item, str)
                                 else item.codes)]
                continue
            result[key] = value
    return result


def add_reason(item: dict[str, Any], decision: Reason) -> None:
    """Appends one decision to an entry: its sentence and its codes."""
    item["reasons"].append(sentence(decision))
    item["reason_codes"].extend(decision.codes)


def is_payable_grant(item: dict[str, Any]) -> bool:
    """True for an eligible grant with a known amount (retained or not)."""
    return (item["kind"] == "grant" and item["eligible"] is True
            and isinstance(item.get("amount_eur"), int))


def is_counted_grant(item: dict[str, Any]) -> bool:
    """True for a grant that counts in total_grants_eur (retained, with a known amount)."""
    return is_payable_grant(item) and item.get("retained", True) is True
