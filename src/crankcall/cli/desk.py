"""The editor's desk: serve, user and token."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from crankcall.cli.base import (
    cli,
    common_options,
    current_time,
    settings_for,
)
from crankcall.errors import InputError
from crankcall.store import open_store


@cli.command()
@common_options
@click.option("--host", default=None, help="Address to listen on (default: setting web_host).")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=None, help="Port (default: web_port)."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes to answer with, one per core (default: web_workers).",
)
def serve(
    db: str | None,
    config_file: Path | None,
    host: str | None,
    port: int | None,
    workers: int | None,
) -> None:
    """Run the editor's desk, the public archive and the JSON API (see docs/web.md)."""
    import uvicorn

    from crankcall.web import create_app
    from crankcall.web.app import SERVE_SETTINGS, settings_for_workers

    settings = settings_for(db, config_file, web_host=host, web_port=port, web_workers=workers)
    if settings.web_workers < 1:
        raise InputError(f"web_workers must be 1 or more, not {settings.web_workers}")
    where = f"http://{settings.web_host}:{settings.web_port}/"
    options: dict[str, Any] = {
        "host": settings.web_host,
        "port": settings.web_port,
        "log_level": "warning",
    }
    if settings.web_workers == 1:
        app = create_app(settings)  # opens the store now: a bad --db fails before listening
        click.echo(f"crankcall desk on {where} ({settings.db})")
        uvicorn.run(app, **options)
        return
    create_app(settings).state.store.close()  # the same check, then each worker opens its own
    os.environ[SERVE_SETTINGS] = settings_for_workers(settings)
    click.echo(f"crankcall desk on {where} ({settings.db}), {settings.web_workers} workers")
    uvicorn.run(
        "crankcall.web.app:app_from_environment",
        factory=True,
        workers=settings.web_workers,
        **options,
    )


@cli.group("user")
def user_group() -> None:
    """Accounts of the editor's desk."""


@user_group.command("add")
@common_options
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["admin", "editor", "viewer"]),
    required=True,
    help="What it may do.",
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (one line)."
)
def user_add(
    db: str | None, config_file: Path | None, name: str, role: str, password_stdin: bool
) -> None:
    """Add a desk account NAME with a role; the password is asked for (or read from stdin)."""
    from crankcall.web.auth import hash_password

    settings = settings_for(db, config_file)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise InputError("a password needs at least 10 characters")
    with open_store(settings.db) as store:
        store.add_user(name, role=role, password_hash=hash_password(password), now=current_time())
    click.echo(f"user {name} added as {role}")


@user_group.command("list")
@common_options
def user_list(db: str | None, config_file: Path | None) -> None:
    """List the desk's accounts."""
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        for account in store.users():
            click.echo(f"{account['name']}\t{account['role']}\t{account['created_at']:%Y-%m-%d}")


@cli.group("token")
def token_group() -> None:
    """API tokens for the JSON API's non-public data."""


@token_group.command("add")
@common_options
@click.argument("name")
def token_add(db: str | None, config_file: Path | None, name: str) -> None:
    """Make an API token named NAME and print it once (only its hash is kept)."""
    from crankcall.web.auth import digest, new_token

    settings = settings_for(db, config_file)
    token = new_token()
    with open_store(settings.db) as store:
        store.add_token(name, token_hash=digest(token), now=current_time())
    click.echo(token)
