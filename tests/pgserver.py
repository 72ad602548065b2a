"""A throw-away PostgreSQL server for the test session and the benchmarks.

`initdb` refuses to run as root, so when we are root the server runs as the `postgres` user.
Data lives in a temporary folder; the server listens on 127.0.0.1 on a free port and is stopped
(and its folder removed) by `stop()`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg

SEARCH = ("/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/17/bin")


def _binary(name: str) -> str:
    for folder in SEARCH:
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (make test installs it)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """A running server: its admin URL and how to make and drop databases on it."""

    folder: Path
    port: int
    user: str

    @property
    def admin_url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        _run_as_owner(
            [_binary("pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"]
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def create_database(admin_url: str) -> str:
    """A new empty database on the server at `admin_url`; returns its SQLAlchemy URL."""
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def drop_database(admin_url: str, url: str) -> None:
    """Drop a database made by `create_database`, closing its connections."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_as_owner(command: list[str]) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True)


def start() -> PostgresServer:
    """Initialise and start a server in a fresh temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="crankcall-pg-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
    _run_as_owner(
        [
            _binary("initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ]
    )
    port = _free_port()
    options = (
        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    _run_as_owner(
        [
            _binary("pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        ]
    )
    server = PostgresServer(folder=folder, port=port, user="postgres")
    for _ in range(100):
        try:
            with psycopg.connect(server.admin_url, connect_timeout=2):
                return server
        except psycopg.OperationalError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("PostgreSQL did not start; see " + str(folder / "log"))
