"""``tandem serve``: the app in a browser (the ``web`` extra: textual-serve). See tui/web/."""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from tui.cli_common import CliError, Parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is between 1 and 65535, not {port}")
    return port


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _public_url(text: str) -> str:
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(
            f"--public-url must be the address users open, like https://tandem.example.org, "
            f"not {text!r}"
        )
    return text.strip().rstrip("/")


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from tui.web.server import TandemServer, plain_http_warning
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in ("textual_serve", "aiohttp", "aiohttp_jinja2"):
            raise CliError(
                "tandem serve needs the 'web' extra: uv run --extra web tandem serve "
                "(or pip install 'tandem[web]')."
            ) from None
        raise
    from storage.engine import redact_url
    from tui.bootstrap import fresh_demo_runtime, open_runtime

    # Open (and upgrade, and for --demo seed) the database once, before any tab: a database that
    # cannot be opened is one line here rather than an error in every browser tab.
    runtime = fresh_demo_runtime(args.db) if args.demo else open_runtime(args.db)
    url = runtime.url
    runtime.engine.dispose()

    warning = plain_http_warning(args.host, args.public_url)
    if warning:
        print(f"tandem: {warning}", file=sys.stderr, flush=True)
    server = TandemServer(
        database_url=url,
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        max_sessions=args.max_sessions,
        demo=args.demo,
        display_database=redact_url(url),
    )
    try:
        server.serve()
    except OSError as exc:
        raise CliError(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}."
        ) from None
    return 0


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    serve = sub.add_parser(
        "serve",
        help="serve the app to web browsers (one app per tab; needs the 'web' extra)",
        description="Serve Tandem to web browsers: each tab runs its own Tandem, starting at the "
        "sign-in screen. Listens on 127.0.0.1 only unless --host says otherwise; to reach it "
        "from other machines put it behind a TLS reverse proxy (see the README).",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve.add_argument("--port", type=_port, default=8000, help="port (default: %(default)s)")
    serve.add_argument(
        "--public-url",
        type=_public_url,
        metavar="URL",
        help="the https:// address users open, when behind a reverse proxy",
    )
    serve.add_argument(
        "--max-sessions",
        type=_positive,
        metavar="N",
        help="most browser tabs open at once; more get a 'busy' page "
        "(default: what the free memory holds at ~250 MiB a tab, at least 2)",
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help="serve a fresh demo database, with the picker of demo users on the sign-in screen",
    )
    serve.set_defaults(func=cmd_serve)
