"""The French wording of every aid decision: the engines return reason codes with named
parameters (`reason("tenant_not_eligible")`), this module alone turns them into sentences.

Codes are stable identifiers for programs (contract: `reason_codes`); the sentences may be
reworded here without touching an engine. A parameter may itself be a `Reason` (a fragment,
e.g. a missing fact) or a list of them: fragments are rendered and joined, and their codes
follow the main code in `reason_codes`.
"""

from __future__ import annotations

from typing import Any

from bot.formatting import format_eur, french_date


class Reason:
    """One decision: a stable code and the named values its sentence needs. (Not a tuple:
    engines tell a reason from their (low, high, details) results with isinstance; slots and
    codes worked out once: thousands are built per second.)"""

    __slots__ = ("code", "params", "codes", "text")

    def __init__(self, code: str, params: dict[str, Any] | None = None) -> None:
        self.code = code
        self.params = params or {}
        found = [code]
        for value in self.params.values():
            for item in value if isinstance(value, list) else (value,):
                if isinstance(item, Reason):
                    found.extend(item.codes)
        self.codes: tuple[str, ...] = tuple(found)  # the code, then its fragments' codes
        self.text: str | None = None  # the sentence, once rendered

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reason) and (self.code, self.params) == (other.code,
                                                                          other.params)

    def __hash__(self) -> int:
        return hash(self.code)

    def __repr__(self) -> str:
        return f"Reason({self.code!r}, {self.params!r})"


def reason(code: str, **params: Any) -> Reason:
    if not params:  # the common case: one shared instance per code
        found = _PLAIN.get(code)
        if found is None:
            raise KeyError(f"reason code without a French sentence: {code}")
        return found
    if code not in REASONS_FR:
        raise KeyError(f"reason code without a French sentence: {code}")
    try:
        # The same few decisions come back for every household (the same ages, months,
        # contacts): one instance each, its sentence rendered once. The value's type is part
        # of the key (15 and 15.0 are equal but print differently).
        key = (code, *[(name, type(value), value) for name, value in params.items()])
        found = _SHARED.get(key)
    except TypeError:  # a list of fragments: not hashable
        return Reason(code, params)
    if found is None:
        if len(_SHARED) > 4096:
            _SHARED.clear()
        found = _SHARED[key] = Reason(code, params)
    return found


# Sentences (and fragments) keyed by code. Placeholders are named; dates are rendered with
# french_date, amounts given as `*_eur` with format_eur.
REASONS_FR: dict[str, str] = {
    # who may apply
    "tenant_not_eligible": "Les locataires ne peuvent pas demander MaPrimeRénov' : c'est au "
                           "propriétaire de le faire.",
    "eco_ptz_tenant_not_eligible": "Les locataires ne peuvent pas demander l'éco-PTZ : c'est au "
                                   "propriétaire de le faire.",
    "second_home_not_eligible": "MaPrimeRénov' est réservée aux résidences principales.",
    "occupancy_not_admitted": "Statut d'occupation non admis.",
    "eco_ptz_owner_main_residence": "L'éco-PTZ finance la résidence principale d'un "
                                    "propriétaire (occupant ou bailleur).",
    "par_plus_owner_occupier_only": "Le PAR+ est réservé aux propriétaires occupant leur "
                                    "résidence principale.",
    "local_owner_occupier_only": "Réservée aux propriétaires occupants.",
    # the dwelling
    "dwelling_too_recent": "Le logement doit avoir au moins {min_age} ans (construit en {year}).",
    "dwelling_not_old_enough": "Le logement doit avoir plus de {min_age} ans.",
    "cee_dwelling_not_old_enough": "Les primes CEE exigent un logement de plus de {min_age} ans.",
    "ampleur_overseas_not_modelled": "Le parcours accompagné n'est modélisé que pour la France "
                                     "métropolitaine.",
    "ampleur_start_class_not_admitted": "À cette date, le parcours accompagné est réservé aux "
                                        "logements classés {classes} (classe actuelle : "
                                        "{current}).",
    "ampleur_class_gain_too_small": "Il faut gagner au moins {min_gain} classes DPE (projet : "
                                    "{before} → {after}).",
    "cdp_ampleur_class_gain_too_small": "Le Coup de pouce « rénovation d'ampleur » exige un gain "
                                        "d'au moins {min_gain} classes DPE.",
    "ampleur_too_few_insulation_gestes": "Le projet doit comporter au moins {min_count} gestes "
                                         "d'isolation (toiture, murs, plancher bas, fenêtres) ; "
                                         "il en compte {count}.",
    # income
    "geste_income_category_excluded": "Les ménages aux revenus {category} ne peuvent pas "
                                      "bénéficier de MaPrimeRénov' par geste.",
    "ampleur_income_category_not_admitted": "À cette date, le parcours accompagné n'est ouvert "
                                            "qu'aux ménages aux revenus {categories}.",
    "par_plus_income_category_not_admitted": "Le PAR+ est réservé aux ménages aux revenus "
                                             "{categories}.",
    "local_income_category_not_admitted": "Réservée aux ménages aux revenus {categories}.",
    "cheque_energie_income_above_ceiling": "Revenu par unité de consommation estimé à "
                                           "{income_per_unit_eur}, au-dessus du plafond de "
                                           "{ceiling_eur}.",
    # the works
    "geste_work_removed": "Depuis le {since}, les travaux « {work} » ne sont plus aidés par "
                          "MaPrimeRénov' par geste (primes CEE seulement).",
    "geste_work_not_covered": "Les travaux « {work} » n'ouvrent pas droit à MaPrimeRénov' par "
                              "geste (primes CEE seulement).",
    "geste_ventilation_requires_insulation": "La VMC double flux n'est aidée par MaPrimeRénov' "
                                             "qu'avec un geste d'isolation réalisé en même temps.",
    "geste_audit_requires_works": "L'audit énergétique n'est aidé par MaPrimeRénov' par geste "
                                  "qu'avec au moins un geste de travaux.",
    "eco_ptz_no_eligible_action": "Aucun des travaux indiqués n'est une action finançable par "
                                  "l'éco-PTZ (isolation, fenêtres, chauffage ou eau chaude).",
    "vat_no_eligible_work": "Aucun des travaux indiqués ne relève du taux réduit de {rate} %.",
    # filing window and exclusive routes
    "filing_closed": "À cette date, {closure}.",
    "filing_closed_reopens": "À cette date, {closure} (réouverture du guichet le {reopens}).",
    "accompagnateur_requires_ampleur": "Réservée aux ménages éligibles au parcours accompagné.",
    "local_requires_ampleur": "Vient en complément de MaPrimeRénov' parcours accompagné, auquel "
                              "ce projet n'est pas éligible.",
    "local_ampleur_not_retained": "Vient en complément de MaPrimeRénov' parcours accompagné, qui "
                                  "n'est pas retenu ici (un autre financement est plus "
                                  "favorable).",
    "not_cumulative_less_favourable": "Non cumulable avec {chosen}, moins favorable ici "
                                      "({amount_eur} contre {chosen_amount_eur}).",
    # amounts that cannot be computed (eligible: null)
    "amount_not_computable": "Montant non calculable : {missing}.",
    "amount_needs_facts": "Montant non calculable : indiquez {missing}.",
    "loan_needs_works": "Montant maximal non calculable : indiquez les travaux prévus.",
    "par_plus_income_category_unknown": "Éligibilité non déterminée : catégorie de revenus "
                                        "inconnue.",
    "cheque_energie_needs_income": "Indiquez le revenu fiscal de référence et le nombre de "
                                   "personnes du foyer.",
    "cee_amount_not_computable": "Prime CEE ({work}) non calculable : {missing}.",
    "cdp_ampleur_surface_missing": "Coup de pouce « rénovation d'ampleur » non calculable : "
                                   "surface habitable non indiquée.",
    "local_amount_unpublished": "Montant non publié. Qui contacter : {contact}.",
    "local_amount_unknown": "Montant exact non connu (jusqu'à {max_eur}). Qui contacter : "
                            "{contact}.",
    # fragments: the missing facts named inside the sentences above
    "missing_overseas_amounts": "les montants propres à l'outre-mer ne sont pas pris en compte",
    "missing_income_category": "catégorie de revenus inconnue (revenu fiscal de référence et "
                               "nombre de personnes du foyer nécessaires)",
    "missing_work_surface": "surface à isoler (m²) non indiquée",
    "missing_equipment_count": "nombre d'équipements non indiqué",
    "missing_windows_count": "nombre de fenêtres non indiqué",
    "missing_dpe_class": "classe DPE actuelle du logement",
    "missing_dpe_class_after": "classe DPE visée après travaux",
    "missing_income_facts": "catégorie de revenus (revenu fiscal de référence et nombre de "
                            "personnes)",
    "missing_total_cost": "coût total HT des travaux",
    "missing_climate_zone": "zone climatique inconnue : indiquez le code postal du logement",
    "missing_overseas_cee_sheets": "les fiches CEE d'outre-mer ne sont pas prises en compte",
    "missing_housing_type": "indiquez s'il s'agit d'une maison ou d'un appartement",
    "missing_sheet_volume_apartment": "volume de la fiche {sheet} non connu pour un appartement",
    "missing_sheet_volume_zone": "volume de la fiche {sheet} non connu pour la zone "
                                 "climatique {zone}",
    "missing_heated_surface": "surface chauffée du logement (m²) non indiquée",
    "missing_income_category_cdp": "catégorie de revenus inconnue (le montant du Coup de pouce "
                                   "en dépend)",
    "missing_cee_sheet": "fiche CEE non disponible",
    # fragments: the funding routes that exclude each other (engine `retained_path`)
    "path_par_geste": "MaPrimeRénov' par geste et les primes CEE par geste",
    "path_ampleur": "MaPrimeRénov' parcours accompagné",
    "path_cee_ampleur": "le Coup de pouce CEE « rénovation d'ampleur »",
    # notes of an entry (`notes` / `note_codes`): reductions and caps first
    "surface_capped": "Aide calculée sur {max_m2} m² au plus.",
    "geste_ecretement_reduced": "Montant réduit par l'écrêtement : MaPrimeRénov' et primes CEE "
                                "ne peuvent dépasser {rate} de la dépense éligible TTC "
                                "({expense_eur}), soit {cap_eur}.",
    "ecretement_not_checked": "Coût des travaux non indiqué : le plafonnement (écrêtement) n'a "
                              "pas pu être vérifié, le montant réel peut être plus faible.",
    "ampleur_ecretement_reduced": "Montant réduit par l'écrêtement : les aides ne peuvent "
                                  "dépasser {share} % du coût TTC ({cost_eur}).",
    "capped_at_works_cost": "Prime limitée au coût des travaux.",
    "passoire_bonus": "Bonus « sortie de passoire » : +{points} points.",
    "accompagnateur_assumed_fee": "Calculée sur un coût moyen supposé de {fee_eur} TTC pour la "
                                  "prestation (prise en charge plafonnée à {cap_eur} TTC de "
                                  "prestation).",
    "accompagnateur_precarity_cap": "Plafond porté à {cap_eur} TTC en cas de précarité "
                                    "énergétique ou d'habitat indigne (non pris en compte ici).",
    "cdp_ampleur_exclusive": "Prime CEE réservée aux projets sans MaPrimeRénov' parcours "
                             "accompagné (non cumulable avec lui ni avec les primes CEE par "
                             "geste).",
    "cdp_heating_if_not_condensing": "Si votre chaudière gaz n'est pas à condensation, le Coup "
                                     "de pouce Chauffage remplace cette prime : environ "
                                     "{amount_eur}.",
    "cdp_heating_if_replacing_boiler": "Si ces travaux remplacent une chaudière au fioul, au "
                                       "charbon ou au gaz (hors condensation), le Coup de pouce "
                                       "Chauffage remplace cette prime : environ {amount_eur}.",
    "cdp_heating_second_home_excluded": "Le Coup de pouce Chauffage exclut les résidences "
                                        "secondaires.",
    "cdp_heating_applied": "Coup de pouce Chauffage : remplacement d'une chaudière au fioul, au "
                           "charbon ou au gaz hors condensation ; il remplace la prime CEE "
                           "standard.",
    "cee_more_with_better_equipment": "Jusqu'à environ {amount_eur} avec un équipement plus "
                                      "performant.",
    "eco_ptz_ceiling": "Plafond retenu : {basis}.",
    "eco_ptz_basis_ampleur": "rénovation d'ampleur avec MaPrimeRénov' parcours accompagné",
    "eco_ptz_basis_none": "aucune action éligible parmi les travaux",
    "eco_ptz_basis_glazing": "fenêtres seules",
    "eco_ptz_basis_actions": "{count} action(s) de travaux",
    "par_plus_terms": "Prêt hypothécaire remboursé en une fois à la vente ou à la succession ; "
                      "l'État paie les intérêts pendant {years} ans.",
    "vat_rate_unconfirmed": "Taux réduit non confirmé pour : {works}.",
    "vat_gas_condensing_rate": "Les chaudières gaz à condensation sont taxées à {rate} % depuis "
                               "le {since}.",
    "vat_amount": "TVA à {rate} % sur ces travaux : environ {vat_eur}.",
    # warnings of the aids result (`warnings`, no codes in the contract)
    "warn_income_category_unknown": "Catégorie de revenus inconnue : indiquez {missing} pour "
                                    "calculer les aides qui en dépendent (MaPrimeRénov').",
    "missing_reference_income": "le revenu fiscal de référence",
    "missing_household_size": "le nombre de personnes du foyer",
    "warn_income_region_unknown": "Catégorie de revenus incertaine : elle dépend de la région "
                                  "(barème Île-de-France ou non) ; indiquez votre code postal.",
    "warn_landlord_income_scale": "Bailleur : c'est l'adresse de votre foyer (et non celle du "
                                  "logement loué) qui décide du barème Île-de-France ou hors "
                                  "Île-de-France.",
    "warn_near_ceiling": "Votre revenu dépasse de peu le plafond de la catégorie « {category} » "
                         "({ceiling_eur}) : avec des plafonds revalorisés, vous pourriez relever "
                         "de cette catégorie.",
    "warn_rules_unknown": "Les règles des aides en vigueur le {on} ne sont pas connues de "
                          "l'assistant (barèmes disponibles à partir du {start}) : aucun "
                          "montant n'est calculé.",
    # conditions left for the household to check (`conditions` / `condition_codes`)
    "rge_works": "Travaux réalisés par une entreprise RGE.",
    "main_residence_months": "Logement occupé à titre de résidence principale au moins "
                             "{months} mois par an.",
    "be_owner": "Être propriétaire (occupant ou bailleur) du logement.",
    "dwelling_built_years_ago": "Logement construit depuis au moins {min_age} ans.",
    "ampleur_advisor_appointment": "Rendez-vous personnalisé (gratuit) avec un conseiller France "
                                   "Rénov' obligatoire avant le dépôt du dossier.",
    "ampleur_accompagnateur_required": "Accompagnateur Rénov' obligatoire (il réalise l'audit "
                                       "énergétique avant les travaux).",
    "ampleur_anah_agreement": "Accord de l'Anah avant de signer les devis ; travaux par des "
                              "entreprises RGE.",
    "ampleur_no_fossil_heating": "Aucun chauffage principalement fossile installé ; le "
                                 "chauffage au fioul ne peut pas être conservé.",
    "ampleur_one_or_two_steps": "Travaux en une ou deux étapes.",
    "ampleur_min_insulation_gestes": "Au moins {min_count} gestes d'isolation (toiture, murs, "
                                     "plancher bas, fenêtres).",
    "ampleur_dwelling_age_main_residence": "Logement construit depuis au moins {min_age} ans, "
                                           "résidence principale.",
    "cee_offer_before_quote": "Accepter l'offre de prime CEE d'une entreprise (obligé) avant de "
                              "signer le devis ; travaux réalisés par une entreprise RGE.",
    "dwelling_completed_more_than": "Logement achevé depuis plus de {min_age} ans.",
    "eco_ptz_rge_main_residence": "Travaux réalisés par une entreprise RGE ; logement utilisé "
                                  "comme résidence principale.",
    "eco_ptz_no_income_condition": "Sans condition de revenus ; accordé par une banque "
                                   "partenaire.",
    "vat_company_certificate": "Travaux facturés et posés par une entreprise ; logement achevé "
                               "depuis plus de {min_age} ans (attestation à remettre à "
                               "l'entreprise).",
    "local_condition": "{text}",
    "parameter_note": "{text}",
    "cheque_energie_sent": "Envoyé automatiquement chaque année ({low} € à {high} €) ; "
                           "utilisable pour payer l'énergie ou des travaux de rénovation.",
}

_PLAIN = {code: Reason(code) for code in REASONS_FR}
_SHARED: dict[tuple, Reason] = {}

# How a list of fragments is joined inside a sentence (default « ; »).
LIST_SEPARATORS = {"amount_needs_facts": ", "}


def _render(code: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Reason):
        return sentence(value)
    if isinstance(value, list):
        return LIST_SEPARATORS.get(code, " ; ").join(_render(code, item) for item in value)
    if hasattr(value, "isoformat"):
        return french_date(value)
    return str(value)


def sentence(decision: Reason) -> str:
    """The French sentence of one decision (rendered once per instance)."""
    if decision.text is None:
        params = {}
        for name, value in decision.params.items():
            params[name] = format_eur(value) if name.endswith("_eur") else _render(
                decision.code, value)
        decision.text = REASONS_FR[decision.code].format(**params)
    return decision.text


def warning(code: str, **params: Any) -> str:
    """The French sentence of a warning (warnings carry no code in the result)."""
    return sentence(reason(code, **params))


def codes(decision: Reason) -> list[str]:
    """The decision's code, then the codes of the fragments it names."""
    return list(decision.codes)
