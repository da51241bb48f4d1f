"""One browser tab's Tandem: ``tandem serve`` (tui/web/server.py) starts this for each tab.

The server passes the database in ``TANDEM_DATABASE_URL`` (never on the command line, where other
users of the server could read a password) and ``TANDEM_SERVE_DEMO=1`` for ``serve --demo``. The
tab opens at the sign-in screen, exactly like the terminal app; the demo picker only for
``--demo`` (the server seeded that database once, before the first tab).
"""

from __future__ import annotations

import os

DEMO_ENV = "TANDEM_SERVE_DEMO"


def main() -> int:
    from tui.app import TandemApp
    from tui.bootstrap import open_runtime

    demo = os.environ.get(DEMO_ENV) == "1"

    def opener():  # type: ignore[no-untyped-def]
        runtime = open_runtime(None)  # TANDEM_DATABASE_URL, set by the server
        runtime.demo = demo
        return runtime

    TandemApp(opener=opener, demo=demo).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
