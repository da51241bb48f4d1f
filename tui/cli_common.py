"""What every ``tandem`` command module shares: the one-line error, the parser that raises it
instead of printing usage and exiting, and reading a file the user named. Kept apart from
tui/cli.py (the composition root) so the command modules it loads never import it back."""

from __future__ import annotations

import argparse
from typing import NoReturn


class CliError(Exception):
    """A failure to report as one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help').")


def read_file(path: str) -> str:
    """The text of ``path`` (UTF-8, a byte-order mark allowed), or CliError saying why not."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: cannot read it ({exc}).") from None
