"""The violation catalogue of Nghị định 12/2022/NĐ-CP art. 29, built from the labour-law
module's codes and fine bands so an assessment's violations and an inspector's violations
share one vocabulary.

Amounts are for an individual employer; an organisation pays double (art. 6(1)). DOMAIN §2:
the amounts are confirmed only in the predecessor Nghị định 28/2020 art. 28 — they stay data
in children/labour_law.py (FINE_BANDS), never repeated here."""

from dataclasses import dataclass

from children.labour_law import FINE_BANDS, VIOLATION_CODES

ORGANISATION_FACTOR = 2


@dataclass(frozen=True)
class ViolationType:
    code: str
    label: str
    legal_basis: str  # the labour-law provision broken
    clause: str  # the penalty clause of Decree 12 art. 29
    fine_band: str
    fine_min: int  # VND, individual
    fine_max: int

    def fine_range(self, *, organisation: bool) -> tuple[int, int]:
        factor = ORGANISATION_FACTOR if organisation else 1
        return self.fine_min * factor, self.fine_max * factor

    @property
    def choice_label(self) -> str:
        return f"{self.label} — {self.clause} ({vnd(self.fine_min)}–{vnd(self.fine_max)} đồng)"


CATALOGUE: dict[str, ViolationType] = {
    code: ViolationType(
        code=code,
        label=label,
        legal_basis=basis,
        clause=FINE_BANDS[band][2],
        fine_band=band,
        fine_min=FINE_BANDS[band][0],
        fine_max=FINE_BANDS[band][1],
    )
    for code, (basis, band, label) in VIOLATION_CODES.items()
}


def violation_type(code: str) -> ViolationType | None:
    return CATALOGUE.get(code)


def fine_range(code: str, *, organisation: bool) -> tuple[int, int] | None:
    entry = CATALOGUE.get(code)
    return entry.fine_range(organisation=organisation) if entry else None


def choices() -> list[tuple[str, str]]:
    return [(code, entry.choice_label) for code, entry in CATALOGUE.items()]


def vnd(amount: int | None) -> str:
    """1500000 -> "1.500.000" (Vietnamese thousands separator)."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".")
