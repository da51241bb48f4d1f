"""Fixtures for the integration tests (the database fixtures are in tests/conftest.py)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared_tmp


@pytest.fixture
def figures(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    """``figures(name=value, ...)``: a trust test's measured figures, printed as
    ``FIGURES {...}`` (pytest -s -n 0) and appended to ``trust-figures.jsonl`` in ``shared/`` of pytest's base
    temporary directory (one file for every xdist worker), for the closing note."""

    def emit(**values: object) -> None:
        line = json.dumps({"test": request.node.nodeid, **values}, default=str)
        print(f"FIGURES {line}")
        with open(shared_tmp(tmp_path_factory) / "trust-figures.jsonl", "a") as fh:
            fh.write(line + "\n")

    return emit
