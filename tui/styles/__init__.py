"""Each area's stylesheet, loaded by Textual with the first screen that names it in CSS_PATH.

The app's own stylesheet (tui/app.tcss: theme variables, sign-in, caseload, editors) is all the
first screen needs; parsing every area's rules before the first paint cost about a quarter of
start-up time. Once loaded, an area's rules apply everywhere, as if they were in app.tcss.
"""

from __future__ import annotations

from pathlib import Path, PurePath

HERE = Path(__file__).resolve().parent


def css(*areas: str) -> list[str | PurePath]:  # CSS_PATH's type
    """Paths of the named areas' stylesheets, for a Screen's CSS_PATH."""
    return [HERE / f"{area}.tcss" for area in areas]


#: Everything a family's workspace and its editors use.
FAMILY = ("plan", "mapping", "summaries", "observations")
