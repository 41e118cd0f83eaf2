"""A fictional year built to the domain's figures, for the annual report and dashboards.

2025: 27 requests, 12 mothers with children and 15 unaccompanied women. The NGO itself
rescued 8 adults (5 mothers, with their children, and 3 unaccompanied women); partner
NGOs rescued the other 19 households. Each person carries the age (in months) it has at
its rescue, worked out by hand from the birth date and its precision, so tests can
derive the expected figures from this table and not from the code under test.

`books` records two years of the rescue reserve through the funds services, in several
currencies, with reversals and entries on either side of 2025 (see its docstring).
"""

from dataclasses import dataclass
from datetime import date

import pytest

from cases.models import Household, Outcome, PartnerOrganisation, PersonRole, Province
from funds import services
from tests.factories import CaseFactory, PersonFactory
from tests.funds.conftest import Ledger as FundsLedger

F, M = "F", "M"
NH, RG, SH = "North Hamgyong", "Ryanggang", "South Hamgyong"


@dataclass(frozen=True)
class P:
    role: str
    sex: str
    birth: date | None
    precision: str
    province: str | None
    age_months: int | None  # at the rescue date, by hand


@dataclass(frozen=True)
class H:
    household: str
    received_on: date
    rescued_on: date
    by_partner: bool
    people: tuple[P, ...]
    restricted: bool = False


def mother(birth, precision, province, age_months):
    return P(PersonRole.PRINCIPAL, F, birth, precision, province, age_months)


def child(sex, birth, precision, province, age_months):
    return P(PersonRole.CHILD, sex, birth, precision, province, age_months)


MWC, UW = Household.MOTHER_WITH_CHILDREN, Household.UNACCOMPANIED_WOMAN

OWN_RESCUES = (
    # Born 1990-03-10, rescued 2025-05-20: 35 years 2 months; her baby (July 2024,
    # stored as the 15th) is 10 months; her son (2019, stored as 1 July) is 5 years 10.
    H(
        MWC,
        date(2025, 1, 8),
        date(2025, 5, 20),
        False,
        (
            mother(date(1990, 3, 10), "day", NH, 35 * 12 + 2),
            child(F, date(2024, 7, 15), "month", NH, 10),
            child(M, date(2019, 7, 1), "year", NH, 5 * 12 + 10),
        ),
    ),
    # Born 1993 (1 July), rescued 2025-06-10: 31 years 11 months; son born 2016: 8y 11m.
    H(
        MWC,
        date(2025, 2, 3),
        date(2025, 6, 10),
        False,
        (
            mother(date(1993, 7, 1), "year", RG, 31 * 12 + 11),
            child(M, date(2016, 7, 1), "year", RG, 8 * 12 + 11),
        ),
    ),
    # Born 1975-02-01, rescued 2025-08-05: 50 years 6 months, the oldest.
    H(
        MWC,
        date(2025, 3, 17),
        date(2025, 8, 5),
        False,
        (
            mother(date(1975, 2, 1), "day", NH, 50 * 12 + 6),
            child(F, date(2010, 7, 1), "year", NH, 15 * 12 + 1),
        ),
        restricted=True,
    ),
    # Born November 1999 (the 15th), rescued 2025-09-01: 25y 9m; daughters 2020, 2022.
    H(
        MWC,
        date(2025, 4, 2),
        date(2025, 9, 1),
        False,
        (
            mother(date(1999, 11, 15), "month", SH, 25 * 12 + 9),
            child(F, date(2020, 7, 1), "year", SH, 5 * 12 + 2),
            child(F, date(2022, 7, 1), "year", SH, 3 * 12 + 2),
        ),
    ),
    # Born 2000, rescued 2025-10-12: 25y 3m; son born 2021-03-04: 4y 7m.
    H(
        MWC,
        date(2025, 5, 9),
        date(2025, 10, 12),
        False,
        (
            mother(date(2000, 7, 1), "year", None, 25 * 12 + 3),
            child(M, date(2021, 3, 4), "day", None, 4 * 12 + 7),
        ),
    ),
    H(
        UW,
        date(2025, 6, 1),
        date(2025, 11, 3),
        False,
        (mother(date(2001, 7, 1), "year", NH, 24 * 12 + 4),),
    ),
    H(
        UW,
        date(2025, 7, 7),
        date(2025, 11, 20),
        False,
        (mother(date(1985, 7, 1), "year", RG, 40 * 12 + 4),),
    ),
    # Born 1997-12-20, rescued 2025-11-30: 27 years 11 months (the 30th is past the 20th).
    H(
        UW,
        date(2025, 8, 14),
        date(2025, 11, 30),
        False,
        (mother(date(1997, 12, 20), "day", NH, 27 * 12 + 11),),
    ),
)


def _partner_households() -> tuple[H, ...]:
    mothers = tuple(
        H(
            MWC,
            date(2025, 1 + month, 20),
            date(2025, 2 + month, 25),
            True,
            (
                mother(date(1995, 7, 1), "year", NH, None),
                child(F, date(2018, 7, 1), "year", NH, None),
            ),
        )
        for month in range(7)
    )
    women = tuple(
        H(
            UW,
            date(2025, 1 + month, 10),
            date(2025, 1 + month, 28),
            True,
            (mother(date(1992, 7, 1), "year", RG, None),),
        )
        for month in range(12)
    )
    return mothers + women


PARTNER_RESCUES = _partner_households()
YEAR_2025 = OWN_RESCUES + PARTNER_RESCUES


@pytest.fixture
def partner(db):
    return PartnerOrganisation.objects.create(name="Fictional Partner NGO")


@pytest.fixture
def domain_year(db, intake, partner):
    """The 2025 households, plus a case from 2024 and one from 2026 that must not count."""
    provinces = {province.name: province for province in Province.objects.all()}
    for household in YEAR_2025:
        case = CaseFactory(
            household=household.household,
            received_on=household.received_on,
            created_by=intake,
            restricted=household.restricted,
        )
        for person in household.people:
            PersonFactory(
                case=case,
                role=person.role,
                sex=person.sex,
                birth_date=person.birth,
                birth_precision=person.precision,
                origin_province=provinces.get(person.province),
                outcome=Outcome.RESCUED,
                outcome_on=household.rescued_on,
                outcome_partner=partner if household.by_partner else None,
            )
    before = CaseFactory(received_on=date(2024, 12, 31), created_by=intake)
    PersonFactory(case=before, outcome=Outcome.RESCUED, outcome_on=date(2024, 12, 31))
    after = CaseFactory(received_on=date(2026, 1, 1), created_by=intake)
    PersonFactory(case=after, outcome=Outcome.DIED, outcome_on=date(2026, 1, 2))
    return YEAR_2025


class Ledger(FundsLedger):
    """The funds tests' helper (it records through the real services), plus reversals."""

    def reverse(self, entry, on: date):
        return services.entry_reverse(
            entry=entry, by=self.user, reason="Recorded twice", occurred_on=on
        )


@pytest.fixture
def ledger(treasurer):
    return Ledger(treasurer)


@pytest.fixture
def books(ledger, partner, intake):
    """Two years of the rescue reserve: 2024's end, the whole of 2025, 2026's start.

    Rates (USD per unit): KRW 0.00072 from 2024-12-20, 0.000731 from 2025-04-01,
    0.0009 from 2026-01-05; JPY 0.0067 from 2025-01-01, 0.0068 from 2025-06-01.
    """
    # Before 2025: cash the reserve starts the year with.
    ledger.donate("20000.00", on=date(2024, 12, 20))
    ledger.donate("1000000", "KRW", on=date(2024, 12, 20), usd_rate="0.00072")  # 720.00
    ledger.spend("300.00", category="transport", on=date(2024, 12, 28))
    # 2025.
    # 500,000 JPY at 0.0067 = 3350.00, on the first day.
    ledger.donate("500000", "JPY", on=date(2025, 1, 1), usd_rate="0.0067")
    ledger.donate("2000.00", on=date(2025, 3, 5), fund="general")  # a donation, not the reserve's
    # 1,234,567 KRW at 0.000731 = 902.468477 -> 902.47.
    ledger.donate("1234567", "KRW", on=date(2025, 4, 1), usd_rate="0.000731")
    ledger.spend("2500.00", category="broker_fee", on=date(2025, 5, 20))
    # 150,000 JPY at 0.0068 = 1020.00.
    ledger.spend("150000", "JPY", category="transport", on=date(2025, 6, 1), usd_rate="0.0068")
    twice = ledger.spend("400.00", category="river_crossing", on=date(2025, 6, 15))
    ledger.reverse(twice, date(2025, 6, 20))
    # Paid from general operations: not rescue spending.
    ledger.spend("333.33", category="shelter", on=date(2025, 7, 1), fund="general")
    ledger.spend("99.99", category="medical", on=date(2025, 12, 31))  # the last day counts
    late_fix = ledger.spend("50.00", category="other", on=date(2025, 12, 20))
    # 2026: none of it is 2025's, including the reversal of a 2025 expense.
    ledger.reverse(late_fix, date(2026, 1, 3))
    ledger.spend("1000.00", category="broker_fee", on=date(2026, 1, 1))
    ledger.donate("5000.00", on=date(2026, 1, 1))
    ledger.rate("KRW", "0.0009", on=date(2026, 1, 5))
    # People rescued by the NGO in 2025: a mother and two children, and one woman; a
    # partner's rescue and a rescue in 2026 do not count.
    for people, on, by in [
        (3, date(2025, 5, 20), None),
        (1, date(2025, 11, 3), None),
        (2, date(2025, 8, 1), partner),
        (1, date(2026, 1, 2), None),
    ]:
        case = CaseFactory(received_on=date(2025, 1, 2), created_by=intake)
        for index in range(people):
            PersonFactory(
                case=case,
                role=PersonRole.PRINCIPAL if index == 0 else PersonRole.CHILD,
                outcome=Outcome.RESCUED,
                outcome_on=on,
                outcome_partner=by,
            )
