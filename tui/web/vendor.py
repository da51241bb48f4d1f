"""The browser side of textual-serve, copied into Tandem's own static folder (``vendor/``).

Tandem serves every file its page uses itself: nothing is fetched from a CDN. The terminal
(xterm.js inside ``textual.js``), its stylesheet and the Roboto Mono font come from the installed
``textual-serve`` package (MIT; Roboto Mono: Apache 2.0), with two small changes to
``textual.js``, listed in ``PATCHES``:

1. the page's session object is published as ``window.textualSession`` so that Tandem's own
   script (``static/tandem.js``) can focus the terminal and read its text (tests, benchmarks);
2. a file the app delivers is downloaded through a link on the page (``tandemDownload`` in
   ``tandem.js``) instead of ``window.open``, which a browser's pop-up blocker may stop, and at a
   URL relative to the page (so Tandem also works under a path of a reverse proxy).

After upgrading textual-serve run ``uv run python -m tui.web.vendor`` and commit the result;
``tests/integration/test_serve.py`` fails while the copy and the installed package differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "static" / "vendor"

#: (file, original text, replacement): each original must occur exactly once.
PATCHES: list[tuple[str, str, str]] = [
    (
        "js/textual.js",
        "t.fit(),s||t.connect()",
        "window.textualSession=t,t.fit(),s||t.connect()",
    ),
    (
        "js/textual.js",
        'n=`${window.location.origin}/download/${i}${r}`;window.open(n,"_blank")',
        "n=`download/${i}${r}`;window.tandemDownload(n)",
    ),
]

#: Files copied from the package's static folder, unchanged unless patched above.
FILES = [
    "js/textual.js",
    "css/xterm.css",
    "fonts/RobotoMono-VariableFont_wght.ttf",
    "fonts/RobotoMono-Italic-VariableFont_wght.ttf",
]


def package_static() -> Path:
    import textual_serve

    return Path(textual_serve.__file__).resolve().parent / "static"


def expected(name: str) -> bytes:
    """The vendored content of ``name``: the package's file with Tandem's patches applied."""
    data = (package_static() / name).read_bytes()
    for file, old, new in PATCHES:
        if file != name:
            continue
        text = data.decode("utf-8")
        if text.count(old) != 1:
            raise RuntimeError(f"{name}: the text to patch was not found once: {old!r}")
        data = text.replace(old, new).encode("utf-8")
    return data


def licence_text() -> str:
    from importlib.metadata import distribution

    dist = distribution("textual-serve")
    for file in dist.files or []:
        if file.name == "LICENSE":
            return file.read_text(encoding="utf-8")
    raise RuntimeError("textual-serve's LICENSE was not found")


def vendor() -> None:
    from importlib.metadata import version

    for name in FILES:
        target = VENDOR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(expected(name))
    (VENDOR / "LICENSE-textual-serve").write_text(licence_text(), encoding="utf-8")
    (VENDOR / "VERSION").write_text(
        f"textual-serve {version('textual-serve')} (MIT, LICENSE-textual-serve): js/textual.js "
        "(with xterm.js, MIT) and css/xterm.css.\n"
        "fonts/: Roboto Mono by Christian Robertson, Apache License 2.0, as shipped in "
        "textual-serve.\n",
        encoding="utf-8",
    )


def differences() -> list[str]:
    """Vendored files that differ from what ``vendor()`` would write now."""
    return [
        name
        for name in FILES
        if not (VENDOR / name).is_file() or (VENDOR / name).read_bytes() != expected(name)
    ]


if __name__ == "__main__":
    vendor()
    print(f"Vendored {len(FILES)} files into {VENDOR}", file=sys.stderr)
