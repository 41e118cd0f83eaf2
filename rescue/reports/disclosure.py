"""What of the annual report a reader who may not see cases is shown.

A figure about a handful of people, for a short period, is a person: one rescue's
date, age, home province and household. Readers who may see cases (coordinators and
administrators) get the report for any range as it is. Everyone else (the board):

- the report only for a fiscal year, half or quarter (`PeriodForm(restricted=True)`);
- every count, and every age figure, resting on fewer than `MIN_PEOPLE` people
  replaced by `None` (JSON `null`; "fewer than 5" on the page, in CSV and XLSX), with the
  dotted path of each such figure in the report's `suppressed` list;
- figures that would give suppressed ones back by subtraction from a shown total
  (adults and children of the people, households of the requests, home provinces of
  the people; women when the men are few) suppressed with them, until what is withheld
  adds up to at least five.

The `annual_report` management command, run by an administrator, prints the report as
it is.
"""

import copy

from rescue.roles import Cap, can

MIN_PEOPLE = 5
FEWER = f"fewer than {MIN_PEOPLE}"
SUPPRESSED = "suppressed"

_HOUSEHOLDS = ("mother_with_children", "unaccompanied_woman", "other")
_AGE_FIGURES = ("youngest_months", "oldest_years", "share_under_30")


def may_see_any_range(user) -> bool:
    """Coordinators and administrators: those who may see the cases themselves."""
    return can(user, Cap.VIEW_ALL_CASES) or can(user, Cap.VIEW_RESTRICTED_CASES)


def _few(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value < MIN_PEOPLE


class _Suppressor:
    def __init__(self, report: dict):
        self.report = report
        self.paths: list[str] = []

    def hide(self, section: dict, key: str, path: str) -> None:
        if section.get(key) is not None and path not in self.paths:
            section[key] = None
            self.paths.append(path)

    def hidden(self, path: str) -> bool:
        return path in self.paths

    def small_counts(self, section: dict, prefix: str) -> None:
        for key, value in list(section.items()):
            if _few(value):
                self.hide(section, key, f"{prefix}.{key}")

    def complement(self, section: dict, keys, prefix: str, total: int | None) -> None:
        """`keys` add up to `total`, which is shown: while the withheld ones could be
        worked out to be fewer than five together (total less the rest), withhold the
        smallest of the rest too."""
        if total is None:
            return
        keys = list(keys)
        while True:
            hidden = [key for key in keys if self.hidden(f"{prefix}.{key}")]
            shown = [key for key in keys if not self.hidden(f"{prefix}.{key}")]
            if not hidden or not shown:
                return
            if total - sum(section[key] for key in shown) >= MIN_PEOPLE:
                return
            smallest = min(shown, key=lambda key: section[key])
            self.hide(section, smallest, f"{prefix}.{smallest}")


def suppress_small_numbers(report: dict, *, ages_known: int) -> dict:
    """A copy of the report with every figure about fewer than five people withheld.

    `ages_known`: how many of the people rescued by the NGO have a birth date (the age
    figures rest on them alone).
    """
    report = copy.deepcopy(report)
    out = _Suppressor(report)

    requests = report["requests"]
    out.small_counts(requests, "requests")
    out.complement(requests, _HOUSEHOLDS, "requests", requests["cases"])

    out.small_counts(report["outcomes_by_person"], "outcomes_by_person")
    out.small_counts(report["outcomes_by_case"], "outcomes_by_case")

    rescued = report["rescued_by_us"]
    people = rescued["people"]
    for key in ("people", "adults", "children", "women"):
        if _few(rescued[key]):
            out.hide(rescued, key, f"rescued_by_us.{key}")
    out.complement(rescued, ("adults", "children"), "rescued_by_us", rescued["people"])
    if not out.hidden("rescued_by_us.people") and _few(people - (rescued["women"] or 0)):
        out.hide(rescued, "women", "rescued_by_us.women")
    if _few(ages_known):
        for key in _AGE_FIGURES:
            out.hide(rescued, key, f"rescued_by_us.{key}")
        # Not set by hide() when there was no age to show at all; still, none is given.
        for key in _AGE_FIGURES:
            path = f"rescued_by_us.{key}"
            if rescued[key] is None and path not in out.paths:
                out.paths.append(path)
    provinces = rescued["origin_provinces"]
    out.small_counts(provinces, "rescued_by_us.origin_provinces")
    out.complement(provinces, provinces, "rescued_by_us.origin_provinces", rescued["people"])

    money = report.get("money_usd")
    if money is not None and _few(people):
        out.hide(money, "cost_per_person_rescued", "money_usd.cost_per_person_rescued")
        if "money_usd.cost_per_person_rescued" not in out.paths:
            out.paths.append("money_usd.cost_per_person_rescued")

    report[SUPPRESSED] = out.paths
    return report


def for_display(report: dict) -> dict:
    """The report with each suppressed figure as the words "fewer than 5" (page, CSV, XLSX)."""
    shown = copy.deepcopy(report)
    for path in shown.pop(SUPPRESSED, []):
        section_name, _, rest = path.partition(".")
        section = shown[section_name]
        keys = rest.split(".", 1)
        if len(keys) == 2 and isinstance(section.get(keys[0]), dict):
            section = section[keys[0]]
            key = keys[1]
        else:
            key = rest
        section[key] = FEWER
    return shown
