"""The job and workplace catalogue the labour-law assessment reads.

Today this is labour_law.DEFAULT_CATALOGUE; the register work makes it admin-editable data
(tables converted with Catalogue.build) without changing callers."""

from .labour_law import DEFAULT_CATALOGUE, Catalogue


def load_catalogue() -> Catalogue:
    return DEFAULT_CATALOGUE
