"""The short French chat message built from an aids result."""

from bot.aids.messages import DISCLAIMER, format_aids_message

PROJECT = {"reference_income": 15000, "heating_energy": "fuel_oil",
           "works": [{"type": "attic_insulation", "surface_m2": 80, "cost_eur": 4000},
                     {"type": "air_water_heat_pump", "cost_eur": 14000}]}


def test_message_lists_total_lines_date_warnings_and_disclaimer(aids):
    result = aids(**PROJECT)
    text = format_aids_message(result)
    assert "2 mars 2026" in text
    assert "très modestes (bleu)" in text
    # MPR 2 000 + 5 000, CEE 1 088 + Coup de pouce 3 816
    assert "Total des aides : 11\u202f904 €" in text
    assert "MaPrimeRénov' par geste (pompe à chaleur air/eau) : 5\u202f000 €" in text
    assert "prime Coup de pouce Chauffage (pompe à chaleur air/eau) : 3\u202f816 €" in text
    assert "éco-prêt à taux zéro jusqu'à 25\u202f000 €" in text
    assert "⚠ Les plafonds de revenus 2026" in text
    assert text.endswith(DISCLAIMER)
    assert "montants indicatifs — à confirmer avec un conseiller france rénov'" in text.lower()


def test_message_when_the_desk_is_closed(aids):
    text = format_aids_message(aids(date="2026-01-15", **PROJECT))
    assert "loi de finances 2026" in text
    assert "23 février 2026" in text
    assert "environ 7\u202f000 €" in text  # MPR par geste 2 000 + 5 000 at the reopening


def test_message_without_any_computable_grant(aids):
    text = format_aids_message(aids(insee_code=None, reference_income=None))
    assert "Aucune subvention chiffrable" in text
    assert text.endswith(DISCLAIMER)


def test_message_for_an_unknown_period(aids):
    text = format_aids_message(aids(date="2024-06-01"))
    assert "1er juin 2024" in text and "ne sont pas connues" in text


def test_message_says_what_is_missing(aids):
    # Works as the chat collects them: types only, no surface.
    text = format_aids_message(aids(reference_income=15000, works=[{"type": "attic_insulation"}]))
    assert "Non chiffré pour l'instant" in text
    assert "isolation des combles) : surface à isoler (m²) non indiquée." in text
