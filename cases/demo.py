"""Fictional demo cases for `make run`, made through the services as staff would make them.

2025 reproduces the domain's year: 27 requests (12 mothers with children, 15
unaccompanied women); 8 adults rescued by the NGO itself (5 of them mothers, whose
children were rescued with them), the other 19 rescued by partner NGOs after the NGO
could not fund them. 2026 has cases at every stage and every other outcome. Every name
is fictional and says so ("Demo …"). A fixed seed makes it the same on every machine;
cases whose reference exists are skipped, so loading twice changes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cases import services
from cases.models import (
    BirthPrecision,
    Case,
    ContactChannel,
    Country,
    Household,
    Outcome,
    PartnerOrganisation,
    PersonRole,
    Province,
    Sex,
    Situation,
    Stage,
    Surveillance,
    Urgency,
    Verdict,
)

SEED = 20250101
PARTNERS = ["Demo Partner Mission (fictional)", "Demo Crossing Aid (fictional)"]
GIVEN_NAMES = [
    "Eun-ji", "Hye-sun", "Mi-ran", "Ok-hee", "Soon-ja", "Yeong-ae", "Kyung-mi", "Jin-ok",
    "Myung-hee", "Bok-sun", "Chun-hwa", "Geum-ok", "Hyang-mi", "Son-hui", "Ryon-hui",
]  # fmt: skip
CHILD_NAMES = ["Min-jun", "Seo-yeon", "Ha-eun", "Ji-ho", "Yu-na", "Do-hyun", "Su-ah", "Hyun-woo"]
# Where requesters come from: mostly the north-east border provinces.
PROVINCE_WEIGHTS = {
    "North Hamgyong": 9,
    "Ryanggang": 7,
    "South Hamgyong": 2,
    "North Pyongan": 1,
    "Chagang": 1,
}
# 2025: the domain's year. (household, rescued by the NGO itself) for each of 27 requests.
YEAR_2025 = (
    [(Household.MOTHER_WITH_CHILDREN, True)] * 5
    + [(Household.UNACCOMPANIED_WOMAN, True)] * 3
    + [(Household.MOTHER_WITH_CHILDREN, False)] * 7
    + [(Household.UNACCOMPANIED_WOMAN, False)] * 12
)
# Ages of the adult women at the request, in years: from 19 to 50, most under 30.
WOMEN_AGES = [19, 21, 22, 23, 24, 24, 25, 26, 26, 27, 27, 28, 28, 29, 29, 31, 32, 33, 35, 36,
              38, 39, 41, 43, 45, 47, 50]  # fmt: skip


@dataclass
class Plan:
    """One 2026 demo case: where it stands, how it ended (if it did), and who may see it."""

    household: str
    stage: str
    outcome: str = ""
    rescued_by_partner: bool = False
    restricted: bool = False
    assigned: bool = False
    verdict: str = Verdict.VERIFIED
    back_to: str = ""
    note: str = ""
    children: int = 0
    same_contact_as: int | None = None
    ended_on: date | None = None
    extras: dict = field(default_factory=dict)


MOTHER, WOMAN, OTHER = (
    Household.MOTHER_WITH_CHILDREN,
    Household.UNACCOMPANIED_WOMAN,
    Household.OTHER,
)
MEKONG = date(2026, 9, 2)
YEAR_2026 = [
    Plan(WOMAN, Stage.RECEIVED, extras={"urgency": Urgency.CRITICAL}),
    Plan(MOTHER, Stage.RECEIVED, children=2),
    Plan(WOMAN, Stage.SCREENING, verdict=""),
    Plan(WOMAN, Stage.SCREENING, verdict=Verdict.INCONCLUSIVE),
    Plan(MOTHER, Stage.VERIFIED, children=1),
    Plan(WOMAN, Stage.WAITING, assigned=True, note="Waiting for money"),
    Plan(MOTHER, Stage.WAITING, children=1, restricted=True, assigned=True),
    Plan(WOMAN, Stage.APPROVED, assigned=True),
    Plan(
        WOMAN,
        Stage.IN_TRANSIT,
        restricted=True,
        assigned=True,
        extras={"surveillance": Surveillance.STRICT},
    ),
    Plan(MOTHER, Stage.CROSSING, children=2, assigned=True),
    Plan(WOMAN, Stage.THIRD_COUNTRY, extras={"current_country": Country.THAILAND}),
    Plan(MOTHER, Stage.FLIGHT, children=1, extras={"current_country": Country.THAILAND}),
    Plan(WOMAN, Stage.RESETTLING, extras={"current_country": Country.SOUTH_KOREA}),
    Plan(WOMAN, Stage.IN_TRANSIT, back_to=Stage.WAITING, note="Crackdown: hiding until it eases"),
    Plan(WOMAN, Stage.WAITING, outcome=Outcome.CALLED_OFF, note="Broker withdrew"),
    Plan(MOTHER, Stage.IN_TRANSIT, children=1, outcome=Outcome.ARRESTED),
    # Two women drowned when their boat capsized on the Mekong.
    *[
        Plan(
            WOMAN,
            Stage.CROSSING,
            outcome=Outcome.DIED,
            note="Boat capsized on the Mekong",
            ended_on=MEKONG,
        )
    ]
    * 2,
    Plan(WOMAN, Stage.SCREENING, verdict="", outcome=Outcome.LOST_CONTACT),
    Plan(OTHER, Stage.VERIFIED, outcome=Outcome.WITHDRAWN, extras={"situation": Situation.OTHER}),
    Plan(
        WOMAN,
        Stage.SCREENING,
        verdict=Verdict.SUSPECTED_DECOY,
        outcome=Outcome.DECOY,
        same_contact_as=2,
    ),
    Plan(MOTHER, Stage.WAITING, children=2, outcome=Outcome.REFERRED, rescued_by_partner=True),
    Plan(MOTHER, Stage.RESETTLING, children=1, outcome=Outcome.RESCUED),
    Plan(WOMAN, Stage.WAITING, outcome=Outcome.RESCUED, rescued_by_partner=True),
]
STAGE_PATH = [
    Stage.RECEIVED,
    Stage.SCREENING,
    Stage.VERIFIED,
    Stage.WAITING,
    Stage.APPROVED,
    Stage.IN_TRANSIT,
    Stage.CROSSING,
    Stage.THIRD_COUNTRY,
    Stage.FLIGHT,
    Stage.RESETTLING,
]


def _born_years_before(on: date, years: int) -> date:
    """A year-only date of birth (stored as 1 July) that makes her `years` old on `on`."""
    before_july = (on.month, on.day) < (7, 1)
    return date(on.year - years - before_july, 7, 1)


def _months_before(on: date, months: int) -> date:
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    return date(year, month + 1, min(on.day, 28))


class _Builder:
    def __init__(self, *, users, rng: random.Random):
        self.intake, self.coordinator = users["intake"], users["coordinator"]
        self.rng = rng
        self.provinces = {p.name: p for p in Province.objects.filter(name__in=PROVINCE_WEIGHTS)}
        self.channels = list(ContactChannel.objects.filter(is_active=True))
        self.partners = [PartnerOrganisation.objects.get_or_create(name=n)[0] for n in PARTNERS]
        self.names = 0

    def province(self) -> Province:
        names = list(PROVINCE_WEIGHTS)
        return self.provinces[self.rng.choices(names, weights=list(PROVINCE_WEIGHTS.values()))[0]]

    def alias(self, pool) -> str:
        self.names += 1
        return f"Demo {pool[self.names % len(pool)]} {self.names:02d}"

    def create(self, *, reference, household, received_on, woman_age, children, **extra):
        province = self.province()
        case = services.case_create(
            by=self.intake,
            reference=reference,
            household=household,
            received_on=received_on,
            situation=extra.pop(
                "situation",
                self.rng.choice([Situation.FORCED_MARRIAGE] * 3 + [Situation.SEX_INDUSTRY]),
            ),
            channel=self.rng.choice(self.channels),
            years_in_china=self.rng.randint(1, 15),
            current_region="Demo prefecture (fictional)",
            contact_handle=extra.pop("contact_handle", f"demo-handle-{reference}"),
            notes="Fictional demo case.",
            principal_alias=self.alias(GIVEN_NAMES),
            principal_birth_date=_born_years_before(received_on, woman_age),
            principal_birth_precision=BirthPrecision.YEAR,
            principal_origin_province=province,
            **extra,
        )
        for months in children:
            services.person_add(
                case=case,
                by=self.intake,
                role=PersonRole.CHILD,
                alias=self.alias(CHILD_NAMES),
                sex=self.rng.choice([Sex.FEMALE, Sex.MALE]),
                birth_date=_months_before(received_on, months),
                birth_precision=BirthPrecision.DAY,
                # Many children were born in China to Chinese fathers: no home province.
                origin_province=province if months > 120 else None,
            )
        return case

    def advance(self, case: Case, to: str, *, verdict: str = Verdict.VERIFIED) -> Case:
        if to != Stage.RECEIVED and verdict:
            services.case_screen(
                case=case,
                by=self.intake,
                reason_for_leaving="Fictional: wants to leave the family she was sold to.",
                dialect="fits" if verdict == Verdict.VERIFIED else "unsure",
                birthplace_knowledge="Fictional answers",
                address_knowledge="Fictional answers",
                daily_life_knowledge="Fictional answers",
                vouched_by="Fictional church contact",
                verdict=verdict,
            )
        for stage in STAGE_PATH[1 : STAGE_PATH.index(Stage(to)) + 1]:
            if stage == Stage.WAITING and to not in (Stage.WAITING,) and self.rng.random() < 0.3:
                continue  # money and moment were there: straight to approved
            case = services.case_transition(case=case, to=stage, by=self.coordinator)
        return case

    def end(self, case: Case, outcome: str, on: date, *, partner=None, note="") -> None:
        services.outcome_record(
            case=case,
            people=None,
            outcome=outcome,
            on=min(on, timezone.localdate()),
            partner=partner,
            by=self.coordinator,
            note=note,
        )


def _children(rng: random.Random, first_baby: bool) -> list[int]:
    """Ages in months of a mother's children; the year's youngest is ten months old."""
    ages = [10] if first_baby else [rng.randint(14, 168)]
    if rng.random() < 0.4:
        ages.append(rng.randint(14, 168))
    return ages


def _load_2025(builder: _Builder) -> int:
    made = 0
    ages = list(WOMEN_AGES)
    random.Random(SEED).shuffle(ages)  # noqa: S311 - fictional demo data
    for number, (household, ours) in enumerate(YEAR_2025, start=1):
        reference = f"2025-{number:03d}"
        # One generator per case, so a case skipped as present does not shift the others.
        rng = builder.rng = random.Random(f"{SEED}-{reference}")  # noqa: S311 - fictional data
        received_on = date(2025, 1, 6) + timedelta(days=(number - 1) * 9 + rng.randint(0, 5))
        children = _children(rng, number == 1) if household == MOTHER else []
        if Case.objects.filter(reference=reference).exists():
            continue
        case = builder.create(
            reference=reference,
            household=household,
            received_on=received_on,
            woman_age=ages[number - 1],
            children=children,
        )
        rescued_on = min(received_on + timedelta(days=rng.randint(40, 100)), date(2025, 12, 20))
        if ours:
            case = builder.advance(case, Stage.RESETTLING)
            builder.end(case, Outcome.RESCUED, rescued_on)
        else:
            case = builder.advance(case, Stage.WAITING)
            partner = rng.choice(builder.partners)
            services.case_refer(
                case=case,
                partner=partner,
                by=builder.coordinator,
                note="We could not fund the operation.",
            )
            builder.end(case, Outcome.RESCUED, rescued_on, partner=partner)
        made += 1
    return made


def _load_2026(builder: _Builder, users) -> int:
    made, created = 0, {}
    today = timezone.localdate()
    for number, plan in enumerate(YEAR_2026, start=1):
        reference = f"2026-{number:03d}"
        rng = builder.rng = random.Random(f"{SEED}-{reference}")  # noqa: S311 - fictional data
        received_on = min(date(2026, 1, 8) + timedelta(days=(number - 1) * 13), today)
        if Case.objects.filter(reference=reference).exists():
            created[number] = Case.objects.get(reference=reference)
            continue
        extras = dict(plan.extras)
        if plan.same_contact_as:
            extras["contact_handle"] = f"demo-handle-2026-{plan.same_contact_as:03d}"
        case = builder.create(
            reference=reference,
            household=plan.household,
            received_on=received_on,
            woman_age=rng.choice(WOMEN_AGES),
            children=[rng.randint(10, 160) for _ in range(plan.children)],
            **extras,
        )
        created[number] = case
        if plan.assigned or plan.restricted:
            services.case_assign(
                case=case, assignees=[users["coordinator"]], by=builder.coordinator
            )
        case = builder.advance(case, plan.stage, verdict=plan.verdict)
        if plan.back_to:
            case = services.case_transition(
                case=case, to=plan.back_to, by=builder.coordinator, note=plan.note
            )
        if plan.outcome:
            partner = None
            if plan.rescued_by_partner:
                partner = builder.partners[number % len(builder.partners)]
                services.case_refer(case=case, partner=partner, by=builder.coordinator)
            builder.end(
                case,
                plan.outcome,
                plan.ended_on or received_on + timedelta(days=rng.randint(20, 60)),
                partner=partner,
                note=plan.note,
            )
        # The services stamp the stage change with the loading time; a real case got to its
        # stage some days after it arrived, and the dashboard's days-in-stage should show it.
        moved_on = min(received_on + timedelta(days=rng.randint(3, 20)), today)
        Case.objects.filter(pk=case.pk).update(
            stage_changed_at=timezone.make_aware(datetime.combine(moved_on, time(9)))
        )
        # Restricted last: from then on only its assignees (and admins) see it.
        if plan.restricted:
            services.case_set_restricted(
                case=case,
                restricted=True,
                by=builder.coordinator,
                note="Known to her husband's family",
            )
        made += 1
    return made


def load(*, users, stdout) -> None:
    """Create the demo cases that are missing; safe to run again."""
    with transaction.atomic():
        builder = _Builder(users=users, rng=random.Random(SEED))  # noqa: S311 - fictional data
        made = _load_2025(builder) + _load_2026(builder, users)
    stdout.write(f"Cases: {made} demo cases created ({Case.objects.count()} in all).")
