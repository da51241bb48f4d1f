"""``tandem serve`` without a browser: its page and assets, its headers, its refusals and warnings.

The browser itself is in test_serve_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.integration.serve_helpers import http_get, serving
from tui.cli import main
from tui.web import server as web_server
from tui.web import vendor

WEB = Path(web_server.__file__).resolve().parent


def test_the_vendored_browser_files_are_the_installed_textual_serve_ones_with_our_patches() -> None:
    """After upgrading textual-serve: ``uv run python -m tui.web.vendor``."""
    assert vendor.differences() == []
    for _file, _old, new in vendor.PATCHES:
        assert new in (vendor.VENDOR / "js/textual.js").read_text(encoding="utf-8")


def test_the_page_names_only_files_that_tandem_serves() -> None:
    page = (WEB / "templates" / "index.html").read_text(encoding="utf-8")
    busy = (WEB / "templates" / "busy.html").read_text(encoding="utf-8")
    css = (WEB / "static" / "tandem.css").read_text(encoding="utf-8")
    references = re.findall(r'(?:src|href)="([^"]+)"', page + busy)
    references += re.findall(r'url\("([^"]+)"\)', css)
    assert references
    for ref in references:
        assert "//" not in ref and not ref.startswith("/"), ref  # relative to Tandem's own page
        target = (WEB / "static" / ref.removeprefix("static/")) if ref != "./" else None
        if ref.startswith("vendor/"):
            target = WEB / "static" / ref
        assert target is None or target.is_file(), ref
    vendored_css = (vendor.VENDOR / "css" / "xterm.css").read_text(encoding="utf-8")
    assert "url(" not in vendored_css and "@import" not in vendored_css


@pytest.mark.parametrize(
    "host, public_url, warned",
    [
        ("127.0.0.1", None, False),
        ("::1", None, False),
        ("localhost", None, False),
        ("0.0.0.0", None, True),
        ("192.0.2.10", None, True),
        ("0.0.0.0", "http://tandem.example.org", True),
        ("0.0.0.0", "https://tandem.example.org", False),
    ],
)
def test_listening_beyond_this_machine_without_tls_is_warned_about(
    host: str, public_url: str | None, warned: bool
) -> None:
    warning = web_server.plain_http_warning(host, public_url)
    assert (warning is not None) is warned
    if warning:
        assert "without encryption" in warning and "--public-url https://" in warning


def test_the_default_number_of_tabs_fits_the_memory_and_is_at_least_two(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert web_server.default_max_sessions() >= 2
    monkeypatch.setattr(web_server, "_available_memory", lambda: 100 * 1024 * 1024)
    assert web_server.default_max_sessions() == 2
    monkeypatch.setattr(web_server, "_available_memory", lambda: 10 * 1024**3)
    assert web_server.default_max_sessions() == 40


@pytest.mark.parametrize(
    "args, message",
    [
        (["serve", "--port", "0"], "between 1 and 65535"),
        (["serve", "--port", "http"], "not a port number"),
        (["serve", "--max-sessions", "0"], "at least 1"),
        (["serve", "--public-url", "tandem.example.org"], "--public-url must be"),
    ],
)
def test_bad_options_are_one_line_on_stderr(capsys, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_serving_to_other_machines_without_https_prints_the_warning(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys, monkeypatch
) -> None:
    served: list[web_server.TandemServer] = []
    monkeypatch.setattr(web_server.TandemServer, "serve", lambda self: served.append(self))
    db = tmp_path / "tandem.db"
    assert main(["--db", str(db), "serve", "--host", "0.0.0.0", "--max-sessions", "3"]) == 0
    assert "without encryption" in capsys.readouterr().err
    (server,) = served
    assert server.max_sessions == 3
    assert server.tab_env["TANDEM_DATABASE_URL"].endswith(str(db))
    assert server.tab_env["TANDEM_SERVE_DEMO"] == ""
    assert main(["--db", str(db), "serve"]) == 0  # localhost: no warning
    assert "warning" not in capsys.readouterr().err


def test_the_page_its_headers_and_a_websocket_from_another_site(tmp_path: Path) -> None:
    import asyncio

    import aiohttp

    with serving(tmp_path / "tandem.db", tmp_path) as served:
        status, page = http_get(served.url + "/")
        assert status == 200 and "<title>Tandem</title>" in page
        status, _ = http_get(served.url + "/static/vendor/fonts/RobotoMono-VariableFont_wght.ttf")
        assert status == 200

        async def headers_and_foreign_socket() -> tuple[dict[str, str], int]:
            async with aiohttp.ClientSession() as session:
                async with session.get(served.url + "/") as response:
                    headers = dict(response.headers)
                try:
                    await session.ws_connect(
                        served.url + "/ws", headers={"Origin": "https://elsewhere.example"}
                    )
                except aiohttp.WSServerHandshakeError as error:
                    return headers, error.status
                return headers, 101

        headers, ws_status = asyncio.run(headers_and_foreign_socket())
        assert ws_status == 403
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "connect-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Frame-Options"] == "DENY"
        assert "tab opened" not in served.log_text()  # the foreign socket started nothing
