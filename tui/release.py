"""Let a closed screen's widgets go.

Textual keeps two kinds of back-references that outlive a removed widget until something else
happens: a watcher registered on another node's reactive (the Header watches the app's title,
each FooterKey watches its Footer's ``compact``) stays in that node's watcher list until the
watched value next changes, and a signal subscription whose callback closes over the widget
(textual-plotext's charts subscribe to the app's theme change) keeps it as long as the app lives.
The app's title and theme rarely change, so every family screen opened and closed stayed in
memory with its widgets and their render caches. And Textual's ``StylesCache.get_inner_outer``
is a ``functools.lru_cache`` (1,024 entries) over the method's ``self``, so it keeps up to
1,024 widgets' style caches (each with its rendered lines) whatever became of the widgets.
Last, glibc is asked to give freed memory back to the system (``malloc_trim``): after the
passphrase hash (scrypt's 128 MiB) and after a screen's objects are freed, the C heap otherwise
keeps the pages resident for the next allocation. ``release_closed`` drops those references once a
screen has been removed (TandemApp calls it after each screen it replaces)."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from typing import Any

from textual.dom import DOMNode
from textual.signal import Signal


def _closing(node: Any) -> bool:
    return bool(getattr(node, "_closing", False) or getattr(node, "_closed", False))


def _prune_watchers(node: DOMNode) -> int:
    watchers: dict[str, list[tuple[Any, Any]]] = getattr(node, "__watchers", {})
    dropped = 0
    for entries in watchers.values():
        keep = [(owner, callback) for owner, callback in entries if not _closing(owner)]
        dropped += len(entries) - len(keep)
        entries[:] = keep
    return dropped


def _prune_signals(node: DOMNode) -> int:
    dropped = 0
    for value in list(vars(node).values()):
        if isinstance(value, Signal):
            for subscriber in [s for s in list(value._subscriptions) if _closing(s)]:
                value.unsubscribe(subscriber)
                dropped += 1
    return dropped


def _load_trim() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim): nothing to ask
        return None


_malloc_trim = _load_trim()


def give_back_freed_memory() -> None:
    """Return the C heap's free pages to the system where the C library can (glibc)."""
    if _malloc_trim is not None:
        _malloc_trim(0)


def release_closed(app: Any) -> int:
    """Drop watchers and signal subscriptions held for removed widgets; how many were dropped."""
    from textual._styles_cache import StylesCache

    StylesCache.get_inner_outer.cache_clear()  # recomputed on the next paint: cheap
    nodes: list[DOMNode] = [app]
    for screen in app.screen_stack:
        nodes.append(screen)
        nodes.extend(screen.walk_children(with_self=False))
    dropped = sum(_prune_watchers(node) + _prune_signals(node) for node in nodes)
    give_back_freed_memory()
    return dropped
