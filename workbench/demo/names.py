"""Plausible Chinese personal and company names, drawn from the reference name parts."""

from __future__ import annotations

import random
from functools import cache

from workbench.demo.reference import (
    COMPANY_SUFFIXES,
    GIVEN_CHARS,
    INDUSTRIES,
    NAME_CORES,
    SUPPLIER_CITIES,
    SURNAMES,
)


def person_name(rng: random.Random) -> str:
    """Return a plausible Chinese personal name."""
    given = rng.choice(GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN_CHARS)
    return rng.choice(SURNAMES) + given


def company_name(rng: random.Random, city: str) -> tuple[str, str]:
    """Return (company name, industry) for a Chinese company in a city."""
    industry, words = rng.choice(INDUSTRIES)
    return f"{city}{rng.choice(NAME_CORES)}{rng.choice(words)}{rng.choice(COMPANY_SUFFIXES)}", industry


def supplier_name(contract_id: int) -> str:
    """Return the supplier of a purchase contract (a pure function of the contract id)."""
    rng = random.Random(f"supplier|{contract_id}")
    return company_name(rng, rng.choice(SUPPLIER_CITIES))[0]


@cache
def clerk_names(org_id: str) -> tuple[str, str]:
    """Return the two finance clerks who key vouchers for an org (a pure function of the org)."""
    rng = random.Random(f"clerk|{org_id}")
    return person_name(rng), person_name(rng)
