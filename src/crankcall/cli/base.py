"""What every command shares: the root group, one-line errors, common options, settings,
times, windows and output helpers."""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar, TypeVar

import click

from crankcall import __version__
from crankcall.errors import CrankcallError, InputError
from crankcall.settings import Settings, load_settings

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

F = TypeVar("F", bound=Callable[..., Any])


class CrankcallGroup(click.Group):
    """Turns crankcall's errors into one-line messages and exit status 2, and imports the module
    of a command only when it is run or listed (`lazy_commands`: command name -> module), so
    each command starts with what it needs only."""

    lazy_commands: ClassVar[dict[str, str]] = {}

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            module = self.lazy_commands.get(cmd_name)
            if module is not None:
                importlib.import_module(module)
            if cmd_name not in self.commands:
                self.load_all()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.load_all()
        return super().list_commands(ctx)

    def load_all(self) -> None:
        """Import every command module, so `commands` holds every command."""
        for module in sorted(set(self.lazy_commands.values())):
            importlib.import_module(module)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrankcallError as e:
            fail(str(e), status=2)
        except KeyboardInterrupt:
            fail("interrupted", status=130)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as e:
            if os.environ.get("CRANKCALL_DEBUG"):
                raise
            fail(f"internal error: {type(e).__name__}: {e} (set CRANKCALL_DEBUG=1 for details)", 1)


def fail(message: str, status: int) -> None:
    click.echo(f"crankcall: error: {message}", err=True)
    sys.exit(status)


def common_options(function: F) -> F:
    """`--db` and `--config`, accepted by every command."""
    function = click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Settings file (default: ./crankcall.toml when present).",
    )(function)
    function = click.option(
        "--db",
        default=None,
        metavar="URL",
        help="Database URL or SQLite path (default: $CRANKCALL_DB, else ./crankcall.db).",
    )(function)
    return function


def settings_for(db: str | None, config_file: Path | None, **flags: Any) -> Settings:
    settings = load_settings(config_file=config_file, overrides={"db": db, **flags})
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    return settings


def current_time() -> datetime:
    return datetime.now(UTC)


def day(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date (use YYYY-MM-DD)") from None


@contextmanager
def output_to(path: Path | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    try:
        handle = path.open("w", encoding="utf-8", newline="")
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror}") from e
    with handle:
        yield handle


def progress_bar(console: Console) -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def table_console(handle: IO[str] | None = None) -> Console:
    """A console for tables: as wide as the terminal, or 160 columns when the output goes to a
    file or a pipe (rich's 80 would wrap every headline over several lines)."""
    from rich.console import Console

    target = handle or sys.stdout
    return Console(file=target, highlight=False, width=None if target.isatty() else 160)


def echo_json(data: Any, handle: IO[str]) -> None:
    handle.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@click.group(cls=CrankcallGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crankcall")
def cli() -> None:
    """crankcall: drafts CRANK Call, a monthly sourced review of cooperation and contention among
    China, Russia, Iran and North Korea, and keeps the coded data behind it."""


output_option = click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here instead of stdout.",
)
"""`--output FILE` of the commands that write to stdout otherwise (see `output_to`)."""


def window_options(function: F) -> F:
    """`--since`, `--until` (both days, inclusive) or `--month` for a calendar month."""
    function = click.option(
        "--month", metavar="YYYY-MM", help="The calendar month (instead of --since/--until)."
    )(function)
    function = click.option("--until", metavar="DATE", help="Last day of the window (inclusive).")(
        function
    )
    function = click.option("--since", metavar="DATE", help="First day of the window.")(function)
    return function


def window(
    since: str | None, until: str | None, month: str | None
) -> tuple[datetime, datetime, str]:
    """(start, end exclusive, month label) of a coverage window from the command's options."""
    label = None
    if month is not None:
        try:
            first = date.fromisoformat(month + "-01")
        except ValueError:
            raise InputError(f"--month {month!r} is not a month (use YYYY-MM)") from None
        label = month
        if since is None and until is None:
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            start = datetime.combine(first, time(), tzinfo=UTC)
            return start, datetime.combine(following, time(), tzinfo=UTC), label
    begin, last = day(since, "--since"), day(until, "--until")
    if begin is None or last is None:
        raise InputError("give --month YYYY-MM, or both --since and --until")
    end = last + timedelta(days=1)
    if end <= begin:
        raise InputError(f"--until {until} is before --since {since}")
    return begin, end, label or f"{last:%Y-%m}"


def write_bytes(path: Path, body: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror}") from e
