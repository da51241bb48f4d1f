"""``tandem serve``: the same app in a browser, one app process per tab (textual-serve).

Tandem's own page (``templates/index.html``) and every file it uses are served from
``static/`` by this server: nothing is fetched from anywhere else, and a Content-Security-Policy
tells the browser so. Each tab's websocket starts ``python -m tui.web.tab``, which opens at the
sign-in screen. At most ``max_sessions`` tabs run at once; one more gets a "busy" page (HTTP 503)
instead of exhausting the server's memory. A closed tab ends its process: the app closes its open
editors first, so their recording sessions are saved.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import shlex
import signal
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"

#: Memory one open tab needs (the app process, with a family open): ~240 MiB measured.
TAB_MEMORY_BYTES = 250 * 1024 * 1024

#: How long a closed tab's app may take to save and exit before it is told again, then killed.
STOP_GRACE_SECONDS = 20.0

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # xterm.js sets element styles and adds a <style> of its own.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)

log = logging.getLogger("tandem.serve")


def default_max_sessions() -> int:
    """How many tabs fit in the memory available now (~250 MiB each), at least 2."""
    available = _available_memory()
    if available is None:
        return 8
    return max(2, available // TAB_MEMORY_BYTES)


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def plain_http_warning(host: str, public_url: str | None) -> str | None:
    """The warning to print when the server can be reached from other machines without TLS."""
    if is_loopback(host):
        return None
    if public_url and public_url.lower().startswith("https://"):
        return None
    return (
        f"warning: Tandem is listening on {host}, reachable from other machines, without "
        "encryption: passphrases and case records would cross the network as plain text. Put it "
        "behind the council's TLS reverse proxy (see the README) and give --public-url "
        "https://..., or keep the default --host 127.0.0.1."
    )


class TandemAppService(AppService):
    """One tab's app process: ``python -m tui.web.tab``, told the database in its environment."""

    def __init__(self, *args: Any, extra_env: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_env = extra_env

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment.update(self.extra_env)
        # Ends the app when the server goes away, not only when it asks (tui/web/driver.py).
        environment["TEXTUAL_DRIVER"] = "tui.web.driver:TandemWebDriver"
        return environment

    def process_id(self) -> int | None:
        process = getattr(self, "_process", None)
        return None if process is None else process.pid

    def signal_process(self, sig: int) -> None:
        process = getattr(self, "_process", None)
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(sig)


class TandemServer(Server):
    """textual-serve's server with Tandem's page, limits and headers."""

    def __init__(
        self,
        *,
        database_url: str,
        host: str = "127.0.0.1",
        port: int = 8000,
        public_url: str | None = None,
        max_sessions: int | None = None,
        demo: bool = False,
        display_database: str = "",
    ) -> None:
        # textual-serve starts it through a shell; exec makes the shell the app itself, so a
        # signal for the tab's process reaches the app.
        command = f"exec {shlex.quote(sys.executable)} -m tui.web.tab"
        super().__init__(
            command,
            host=host,
            port=port,
            title="Tandem",
            public_url=public_url,
            statics_path=STATIC,
            templates_path=TEMPLATES,
        )
        if public_url is None:
            shown = f"[{host}]" if ":" in host else host
            self.public_url = f"http://{shown}:{port}"
        self.max_sessions = max_sessions or default_max_sessions()
        self.display_database = display_database or database_url
        self.tab_env = {
            "TANDEM_DATABASE_URL": database_url,
            "TANDEM_SERVE_DEMO": "1" if demo else "",
        }
        #: Tabs holding (or about to hold) an app process.
        self.open_tabs = 0
        self.services: set[TandemAppService] = set()

    # --- the aiohttp application -----------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[security_headers])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/favicon.ico", self.handle_favicon),
                web.static("/static", STATIC, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def busy(self) -> bool:
        return self.open_tabs >= self.max_sessions

    async def handle_index(self, request: web.Request) -> web.Response:
        if self.busy():
            return self.busy_response(request)
        try:
            font_size = min(max(int(request.query.get("fontsize", "16")), 8), 40)
        except ValueError:
            font_size = 16
        response = aiohttp_jinja2.render_template("index.html", request, {"font_size": font_size})
        response.headers["Cache-Control"] = "no-store"
        return response

    def busy_response(self, request: web.Request) -> web.Response:
        response = aiohttp_jinja2.render_template(
            "busy.html", request, {"max_sessions": self.max_sessions}, status=503
        )
        response.headers["Retry-After"] = "60"
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_favicon(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/static/favicon.svg")

    def origin_allowed(self, request: web.Request) -> bool:
        """A tab's websocket must come from Tandem's own page (not another site's script)."""
        origin = request.headers.get("Origin")
        if not origin:
            return True  # not a browser
        allowed = {request.host.lower(), urlsplit(self.public_url).netloc.lower()}
        return urlsplit(origin).netloc.lower() in allowed

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]  # a refused origin gets a plain 403
        if not self.origin_allowed(request):
            return web.Response(status=403, text="This page is not Tandem's.")
        if self.busy():
            return web.Response(status=503, text="Tandem is busy: no room for another window.")
        self.open_tabs += 1  # taken before the first await, so the limit holds
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _to_int(request.query.get("width"), 80)
        height = _to_int(request.query.get("height"), 24)
        service: TandemAppService | None = None
        try:
            await websocket.prepare(request)
            service = TandemAppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
                extra_env=self.tab_env,
            )
            self.services.add(service)
            await service.start(width, height)
            log.info("tab opened (process %s); %s open", service.process_id(), self.open_tabs)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one tab's failure never stops the server
            log.exception(error)
        finally:
            if service is not None:
                await self.stop_service(service)
                self.services.discard(service)
            self.open_tabs -= 1
            log.info("tab closed; %s open", self.open_tabs)
        return websocket

    async def stop_service(self, service: TandemAppService) -> None:
        """Ask the tab's app to quit (it saves its open editors), then insist."""
        stopping = asyncio.ensure_future(service.stop())
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None:
                log.warning("tab process %s did not stop; sending %s", service.process_id(), sig)
                service.signal_process(sig)
            done, _ = await asyncio.wait({stopping}, timeout=STOP_GRACE_SECONDS)
            if done:
                return

    # --- start and stop ----------------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to do before listening (``announce`` says when Tandem is reachable)."""

    def announce(self, _message: object = None) -> None:
        print(
            f"Tandem is serving {self.display_database} at {self.public_url}/ "
            f"(up to {self.max_sessions} browser tabs at once). Press Ctrl+C to stop.",
            file=sys.stderr,
            flush=True,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        """Every open tab's app saves its editors and exits before the server does."""
        services = list(self.services)
        if services:
            await asyncio.gather(*(self.stop_service(s) for s in services), return_exceptions=True)

    def initialize_logging(self) -> None:
        logging.basicConfig(
            level=logging.DEBUG if self.debug else logging.WARNING,
            format="tandem serve: %(message)s",
            stream=sys.stderr,
        )
        log.setLevel(logging.DEBUG if self.debug else logging.INFO)

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT (Ctrl+C), SIGTERM or SIGHUP."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if sig is not None:
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(sig, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=self.announce,  # called once the address is bound
            access_log=None,
        )


@web.middleware
async def security_headers(request: web.Request, handler: Any) -> web.StreamResponse:
    """The page may use only what this server serves; it may not be framed by another site."""
    try:
        response: web.StreamResponse = await handler(request)
    except web.HTTPException as exc:
        _add_headers(exc)
        raise
    if not response.prepared:
        _add_headers(response)
    return response


def _add_headers(response: web.StreamResponse) -> None:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")


def _to_int(value: str | None, default: int) -> int:
    try:
        return max(1, min(int(value or default), 1000))
    except ValueError:
        return default
