"""Who may use the reports; imports no models, so `RescueConfig.navigation` can use it."""

from typing import TYPE_CHECKING

from rescue.roles import Cap, can

if TYPE_CHECKING:
    from rescue.roles import Actor

# The annual report and its downloads.
REPORT_CAPS = (Cap.VIEW_REPORTS,)
# Case exports: anyone whose work is with cases. What they get is still only the cases
# `visible_to` them, and names only with EXPORT_IDENTIFYING and an explicit request.
CASE_EXPORT_CAPS = (Cap.LOG_REQUEST, Cap.SCREEN_CASE, Cap.COORDINATE_CASE, Cap.VIEW_ALL_CASES)


def may_export_cases(user: "Actor") -> bool:
    return any(can(user, cap) for cap in CASE_EXPORT_CAPS)
