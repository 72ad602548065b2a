"""The command-line interface: a thin shell over the library.

Every command parses its input, opens the store, calls one library function and shows the result.
Any `CrankcallError` becomes one line on stderr and exit status 2 (contract: bad input exits 2).
The commands live by subject in this package's modules; importing them registers them on `cli`.
"""

from __future__ import annotations

from crankcall.cli import coding, data, desk, issue, live  # noqa: F401  (registers the commands)
from crankcall.cli.base import cli
from crankcall.store import Store


def main() -> None:
    """Entry point of the `crankcall` command."""
    cli(prog_name="crankcall")


__all__ = ["Store", "cli", "main"]
