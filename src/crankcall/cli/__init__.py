"""The command-line interface: a thin shell over the library.

Every command parses its input, opens the store, calls one library function and shows the result.
Any `CrankcallError` becomes one line on stderr and exit status 2 (contract: bad input exits 2).
The commands live by subject in this package's modules; importing a module registers its commands
on `cli`. The modules are imported when one of their commands is run or listed (`COMMANDS` says
where each lives), so `crankcall code` does not pay for the store, the web app and the renderers.
"""

from __future__ import annotations

from typing import Any

from crankcall.cli.base import CrankcallGroup, cli

# Where each command is defined; a command missing here is still found (every module is imported).
COMMANDS = {
    "crankcall.cli.coding": ("code", "run", "explain", "eval", "labels"),
    "crankcall.cli.data": ("init", "ingest", "search", "stats", "export", "settings", "outlets"),
    "crankcall.cli.desk": ("serve", "user", "token"),
    "crankcall.cli.issue": ("draft", "story", "candidates"),
    "crankcall.cli.live": ("sources", "fetch", "watch", "extract", "gdelt"),
}
CrankcallGroup.lazy_commands = {
    name: module for module, names in COMMANDS.items() for name in names
}


def main() -> None:
    """Entry point of the `crankcall` command."""
    cli(prog_name="crankcall")


def __getattr__(name: str) -> Any:
    if name == "Store":  # kept for callers of `crankcall.cli.Store`; the store loads on demand
        from crankcall.store import Store

        return Store
    raise AttributeError(name)


__all__ = ["COMMANDS", "Store", "cli", "main"]
