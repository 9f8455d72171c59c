"""Data classes of the geography package."""

from __future__ import annotations

from dataclasses import dataclass, field

ILE_DE_FRANCE_REGION = "11"


@dataclass(frozen=True)
class Commune:
    insee_code: str
    name: str
    postal_codes: tuple[str, ...]
    department: str
    region: str  # INSEE region code, e.g. "32" Hauts-de-France
    epci: str | None  # SIREN of the intercommunality, e.g. "248000531" Amiens Métropole
    latitude: float | None
    longitude: float | None
    population: int = 0
    # "commune": position of the town itself; "postal_code"/"epci": mean of its neighbours
    # (a few km off); None: unknown.
    coordinates_precision: str | None = None

    @property
    def is_overseas(self) -> bool:
        return len(self.department) == 3


@dataclass(frozen=True)
class Location:
    """Where a household lives: every commune that matched, the first is the one used."""

    communes: tuple[Commune, ...]
    matched_by: str  # "insee_code" | "postal_code" | "city"
    climate_zone: str | None  # "H1a" … "H3"; None overseas (not in the arrêté's annex)
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def commune(self) -> Commune:
        return self.communes[0]

    @property
    def department(self) -> str:
        return self.commune.department

    @property
    def region(self) -> str:
        return self.commune.region

    @property
    def is_ile_de_france(self) -> bool:
        return self.commune.region == ILE_DE_FRANCE_REGION

    @property
    def is_ambiguous(self) -> bool:
        """Several communes match (shared postal code, homonyms): ask the user to choose."""
        return len(self.communes) > 1
