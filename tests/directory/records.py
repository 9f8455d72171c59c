"""Records shaped exactly like the real rows of the ADEME datasets (field names and value
formats of liste-des-entreprises-rge-2 and perimetre-espaces-conseil-france-renov, see
shared reference directory-and-geo.md §1.4 and §2.1). Companies and people are fictitious.

Amiens (80021) is at 49.9 N, 2.3 E in the committed geo table; distances below are
hand-computed: 0.05° of longitude at 49.9° N = 0.05 × 111.195 × cos(49.9°) = 3.58 km;
0.05° of latitude = 5.56 km.
"""

from __future__ import annotations

PAC = "Pompe à chaleur : chauffage"
CET = "Chauffe-Eau Thermodynamique"
ATTIC = "Isolation des combles perdus"
INTERIOR = "Isolation par l'intérieur des murs ou rampants de toitures  ou plafonds"


def rge_row(index: int, siret: str, name: str, lat: float, lon: float, domaine: str, *,
            code_postal: str = "80000", commune: str = "AMIENS", particulier: bool = True,
            debut: str = "2024-03-01", fin: str = "2027-03-01",
            qualification: str = "QualiPAC Chauffage et ECS (5212D102)",
            certificat: str = "QualiPAC module Chauffage et ECS", organisme: str = "qualitenr",
            meta: str = "Installations d'énergies renouvelables") -> dict:
    code = qualification.rsplit("(", 1)[-1].rstrip(")")
    return {
        "siret": siret, "nom_entreprise": name, "adresse": f"{index} RUE DE LA GARE",
        "code_postal": code_postal, "commune": commune, "latitude": lat, "longitude": lon,
        "_geopoint": f"{lat},{lon}", "telephone": f"03 22 00 00 {index:02d}",
        "email": f"contact{index}@exemple.fr", "site_internet": "",
        "code_qualification": code, "nom_qualification": qualification,
        "url_qualification": "https://www.qualit-enr.org/", "nom_certificat": certificat,
        "domaine": domaine, "meta_domaine": meta, "organisme": organisme,
        "particulier": particulier, "lien_date_debut": debut, "lien_date_fin": fin,
        "_id": f"{siret}-{code}-{debut}", "_i": index, "_rand": 1000 + index, "_score": None,
    }


RGE_ROWS = [
    # A: 3.6 km east of Amiens, heat pumps and heat-pump water heaters.
    rge_row(1, "11111111100011", "CHAUFFAGE PICARD A", 49.9, 2.35, PAC),
    rge_row(2, "11111111100011", "CHAUFFAGE PICARD A", 49.9, 2.35, CET,
            qualification="QualiPAC CET (5212D103)", fin="2026-12-31"),
    # B: 5.6 km north, two qualifications for the same domain (one row each).
    rge_row(3, "22222222200022", "ENERGIES LONGUEAU B", 49.95, 2.3, PAC),
    rge_row(4, "22222222200022", "ENERGIES LONGUEAU B", 49.95, 2.3, PAC,
            qualification="Chauffage + (8611)", certificat="Chauffage +", organisme="qualibat",
            fin="2028-06-30"),
    # C: expired qualification -> dropped.
    rge_row(5, "33333333300033", "ANCIENNE ENTREPRISE C", 49.9, 2.31, PAC, fin="2025-12-31"),
    # D: works only for companies/public bodies -> dropped.
    rge_row(6, "44444444400044", "INDUSTRIE D", 49.9, 2.32, PAC, particulier=False),
    # H: qualification starting after the profile's date -> dropped.
    rge_row(7, "88888888800088", "NOUVELLE ENTREPRISE H", 49.9, 2.33, PAC, debut="2027-01-01"),
    # E: Abbeville, 40.3 km away (haversine) -> found once the radius widens to 50 km.
    rge_row(8, "55555555500055", "ABBEVILLE THERMIQUE E", 50.105, 1.835, PAC,
            code_postal="80100", commune="ABBEVILLE"),
    # G: 0.8° north (89.0 km) -> found at 100 km.
    rge_row(9, "77777777700077", "NORD CLIMAT G", 50.7, 2.3, PAC, code_postal="62000",
            commune="ARRAS"),
    # P: Paris, about 115 km -> never within 100 km.
    rge_row(10, "99999999900099", "PARIS PAC P", 48.8534, 2.3488, PAC, code_postal="75001",
            commune="PARIS"),
    # F: attic and interior insulation, 1.8 km west.
    rge_row(11, "66666666600066", "ISOLATION SOMME F", 49.9, 2.275, ATTIC,
            qualification="Isolation thermique des combles (7131)", certificat="QUALIBAT-RGE",
            organisme="qualibat", meta="Travaux d'efficacité énergétique"),
    rge_row(12, "66666666600066", "ISOLATION SOMME F", 49.9, 2.275, INTERIOR,
            qualification="Isolation thermique par l'intérieur (7121)",
            certificat="QUALIBAT-RGE", organisme="qualibat",
            meta="Travaux d'efficacité énergétique"),
]


def perimeter_row(index: int, insee: str, commune: str, *, structure: str, name: str,
                  epci: str, epci_name: str, dep: str = "80", dep_name: str = "Somme",
                  hours: str = '["Lundi : 9h-12h", "Mercredi : 14h-17h"]') -> dict:
    return {
        "Id_Structure": structure, "Nom_Structure": name,
        "Adresse_Structure": "12 rue des Conseillers", "Code_Postal_Structure": "80000",
        "Commune_Structure": "Amiens", "Code_Insee_Commune_Structure": "80021",
        "Telephone_Structure": "03 22 00 11 22", "Email_Structure": "renov@exemple.fr",
        "Site_Internet_Structure": "https://renov.exemple.fr",
        "Horaires_Structure": hours, "Actes_couvert_structure": '["A1", "A2", "A4"]',
        "Code_Insee_Commune": insee, "Nom_Commune": commune, "Code_Insee_EPCI": epci,
        "Nom_EPCI": epci_name, "Code_Insee_Departement": dep, "Nom_Departement": dep_name,
        "Code_Insee_Region": "32", "Nom_Region": "Hauts-de-France",
        "_id": f"{structure}-{insee}", "_i": index, "_rand": 500 + index, "_score": None,
    }


PERIMETER_ROWS = [
    # Control characters inside the JSON string, as seen in the real data.
    perimeter_row(1, "80021", "Amiens", structure="ECFR-80-01",
                  name="Espace Conseil France Rénov' Amiens Métropole", epci="248000531",
                  epci_name="CA Amiens Métropole",
                  hours='["Lundi au vendredi :\t9h-12h30\n", "Sur rendez-vous l\'après-midi"]'),
    perimeter_row(2, "80001", "Abbeville", structure="ECFR-80-02",
                  name="Espace Conseil France Rénov' Baie de Somme", epci="200070993",
                  epci_name="CA de la Baie de Somme"),
]

RGE_DATASET = "liste-des-entreprises-rge-2"
PERIMETER_DATASET = "perimetre-espaces-conseil-france-renov"
