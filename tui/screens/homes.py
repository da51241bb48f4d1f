"""Each role's home screen."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def practitioner_home() -> Screen[Any]:
    from tui.screens.caseload import CaseloadScreen

    return CaseloadScreen()


def manager_home() -> Screen[Any]:
    from tui.oversight.manager import ManagerHome

    return ManagerHome(family_screen=family_screen, report_screen=project_home)


def family_screen(family_id: int) -> Screen[Any]:
    from tui.family.screen import FamilyScreen

    return FamilyScreen(family_id)


def lead_home() -> Screen[Any]:
    from tui.oversight.lead import LeadHome

    return LeadHome()


def project_home() -> Screen[Any]:
    from tui.report.screen import BurdenReportScreen

    return BurdenReportScreen()


def admin_home() -> Screen[Any]:
    from tui.admin.screen import AdminHome

    return AdminHome()
