"""One browser tab's Tandem: ``tandem serve`` (tui/web/server.py) starts this for each tab.

The server passes the database in ``TANDEM_DATABASE_URL`` (never on the command line, where other
users of the server could read a password) and ``TANDEM_SERVE_DEMO=1`` for ``serve --demo``. The
tab opens at the sign-in screen, exactly like the terminal app; the demo picker only for
``--demo`` (the server seeded that database once, before the first tab).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.app import TandemApp
    from tui.bootstrap import Runtime

DEMO_ENV = "TANDEM_SERVE_DEMO"


def make_app(environ: Mapping[str, str] = os.environ) -> TandemApp:
    """The tab's app: it opens the database after its first paint, at the sign-in screen."""
    from tui.app import TandemApp
    from tui.bootstrap import open_runtime

    demo = environ.get(DEMO_ENV) == "1"
    database = environ.get("TANDEM_DATABASE_URL") or None

    def opener() -> Runtime:
        runtime = open_runtime(database)
        runtime.demo = demo
        return runtime

    return TandemApp(opener=opener, demo=demo)


def main() -> int:
    make_app().run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
