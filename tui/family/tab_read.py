"""How a family tab loads what it shows: one read service call in a worker; the workspace's
first load also brings the family for its title, in the same read (one read transaction, one
audited view: domain/services/screens.py ``family_workspace``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode

from domain.services.context import Context
from tui.workers import run_db, tandem_app

T = TypeVar("T")


def tab_read(
    node: DOMNode, load: Callable[[Context], T], done: Callable[[T], Any], **kwargs: Any
) -> None:
    """Run ``load(ctx)`` in a worker and ``done(result)`` on the UI thread (as ``run_db``); on a
    family workspace whose title is not loaded yet, through its ``read_for_tab``."""
    screen = node.screen
    read_for_tab = getattr(screen, "read_for_tab", None)
    if callable(read_for_tab):
        read_for_tab(node, load, done, **kwargs)
        return
    ctx = tandem_app(node).ctx
    run_db(node, lambda: load(ctx), done, **kwargs)
