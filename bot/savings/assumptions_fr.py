"""The French wording of what the savings estimate assumed: the engine calls
`notes.assume("code", name=value, …)`, this module alone holds the sentences.

Codes are stable identifiers for programs (result field `assumption_codes`); the sentences
may be reworded here without touching the engine. Values arrive ready to print (numbers
already formatted with `bot.formatting`, labels from the catalogue).
"""

from __future__ import annotations

from typing import Any

ASSUMPTIONS_FR: dict[str, str] = {
    # the home before works
    "commune_unknown_default_zone": "Commune non indiquée : climat moyen de la zone {zone} "
                                    "retenu.",
    "housing_type_unknown_house": "Type de logement non indiqué : une maison est supposée.",
    "construction_year_from_class": "Année de construction non indiquée : isolation d'origine "
                                    "d'un logement {period} supposée, d'après la classe DPE "
                                    "{dpe_class}.",
    "period_note": "{note}",
    "apartment_exposure": "Appartement : {roof}, {floor}, {exposed_percent} du pourtour sur "
                          "l'extérieur.",
    "apartment_roof_top_floor": "dernier étage",
    "apartment_roof_from_works": "dernier étage (travaux de toiture indiqués)",
    "apartment_no_roof": "pas de toiture sur l'extérieur",
    "apartment_floor_exposed": "plancher sur local non chauffé ou sur le sol",
    "apartment_floor_from_works": "plancher sur local non chauffé ou sur le sol (travaux de "
                                  "plancher indiqués)",
    "apartment_no_floor": "pas de plancher bas sur l'extérieur",
    "house_party_walls": "Maison mitoyenne : {party_percent} des murs donnent sur un logement "
                         "voisin.",
    "windows_replaced_single_glazing": "Fenêtres remplacées supposées en simple vitrage "
                                       "({replaced_m2} m² sur {window_m2} m² de fenêtres), "
                                       "remplacées par des fenêtres Uw ≤ {new_u}.",
    "heating_in_place": "Chauffage actuel : {heating} (rendement saisonnier {efficiency}) ; "
                        "eau chaude : {dhw}.",
    "start_at_declared_class": "Consommation de départ calée au milieu de la classe DPE "
                               "{dpe_class} déclarée ; la répartition des pertes suit l'époque "
                               "{period}.",
    "start_conventional_calibrated": "Consommation de départ conventionnelle (méthode type DPE) "
                                     "d'un logement {period}, calée sur des DPE réels de "
                                     "logements de cette époque (dont une partie a déjà été "
                                     "rénovée).",
    "secondary_heating_share": "Chauffage d'appoint : {heating} pour {percent} du besoin de "
                               "chauffage (rendement {efficiency}) ; il reste en place après "
                               "les travaux.",
    "element_already_insulated": "{element} déjà isolé(e)s : U {u} W/m²K retenu.",
    "element_not_insulated": "{element} non isolé(e)s depuis la construction.",
    # costs and payback
    "cost_unknown_not_counted": "Coût de « {work} » non fourni et sans coût typique connu : il "
                                "n'est pas compté (donnez le montant du devis).",
    "cost_typical": "Coût de « {work} » non fourni : coût typique de {amount} ({detail} ; "
                    "{source}), aides non déduites.",
    "payback_total_cost": "Coût total indiqué ({amount}) utilisé pour le temps de retour, faute "
                          "du coût de chaque poste.",
    "payback_not_computed": "Temps de retour non calculé : le coût d'un des travaux est inconnu.",
    "payback_definition": "Temps de retour = coût des travaux (HT, aides non déduites : voir les "
                          "aides) ÷ économie annuelle, aux prix actuels de l'énergie.",
    "payback_none": "Pas de retour sur investissement : la facture ne baisse pas.",
    # the works and the range
    "second_heating_not_counted": "« {work} » non compté : un seul chauffage principal est "
                                  "retenu ({main}).",
    "low_end_equipment_real_use": "Bas de la fourchette : un logement classé {dpe_class} "
                                  "consomme en réalité bien moins que son DPE (étude CAE 2024) ; "
                                  "les économies du changement d'équipement sont comptées à "
                                  "{percent} %.",
    "conventional_consumption": "Consommations conventionnelles (méthode type DPE, chauffage et "
                                "eau chaude, kWh d'énergie finale PCI) : une facture réelle est "
                                "souvent plus basse, surtout pour les logements classés F ou G "
                                "(étude CAE 2024).",
    "low_end_envelope_measured": "Bas de la fourchette : économies d'isolation, de fenêtres et "
                                 "de ventilation réduites à {percent} % de l'estimation "
                                 "conventionnelle, comme mesuré sur 80 000 maisons (ONRE/Insee "
                                 "2025).",
    "low_end_heat_pump_measured": "Bas de la fourchette : pompe à chaleur à sa performance "
                                  "mesurée sur le terrain (ADEME 2025 : {cops}{cold}).",
    "heat_pump_cold_zone": ", {percent} % de moins en zone froide",
    "climate_altitude": "Altitude indiquée ({altitude} m) : climat conventionnel du DPE de "
                        "{band} d'altitude.",
    "climate_zone_low_altitude": "Zone climatique {zone}, altitude supposée inférieure à 400 m.",
    "gas_subscription_dropped": "Sans gaz après travaux, l'abonnement gaz ({fixed} €/an) "
                                "disparaît de la facture (une cuisson au gaz garderait un petit "
                                "abonnement).",
    "propane_tank_dropped": "Sans propane après travaux, la location de la citerne ({fixed} "
                            "€/an) disparaît de la facture.",
    "electricity_primary_factor": "Classe DPE estimée avec le coefficient d'énergie primaire de "
                                  "l'électricité en vigueur le {date} : {factor}.",
    "heat_pump_water_radiators": "Pompe à chaleur avec radiateurs à eau (pas de plancher "
                                 "chauffant).",
    "target_class_differs": "La classe DPE visée indiquée ({target}) diffère de l'estimation du "
                            "modèle ({estimate}) : l'audit énergétique fait foi.",
    "no_works": "Aucun travaux indiqués : seule la situation actuelle est estimée.",
}


def assumption_sentence(code: str, values: dict[str, Any]) -> str:
    """The French sentence (or fragment) of one assumption code."""
    return ASSUMPTIONS_FR[code].format(**values)


def fragment(code: str) -> str:
    """A piece of a sentence (no value of its own), e.g. « dernier étage »."""
    return ASSUMPTIONS_FR[code]
