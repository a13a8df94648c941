#!/usr/bin/env python3
"""Make sure a PostgreSQL server and the project's database exist; print the DATABASE_URL.

Usage (with the project's virtualenv python, which has psycopg):

    url=$(.venv/bin/python scripts/ensure_postgres.py)    # start/create as needed
    .venv/bin/python scripts/ensure_postgres.py --stop     # stop the project-local cluster

Only the URL is written to stdout so that shells can capture it; everything else goes to
stderr. Order of attempts:

1. The server named by DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tracker).
   If it answers, the database is created when missing and that URL is printed.
2. A project-local cluster under .pgdata/ that is already running.
3. When DATABASE_URL points at this machine and PostgreSQL's initdb/pg_ctl are installed:
   initialise (once) and start a project-local cluster under .pgdata/ on a free port, with
   trust authentication, and print a URL for it. PostgreSQL refuses to run as root, so as
   root this step is replaced by instructions.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

try:
    import psycopg
    from psycopg import sql
except ImportError:  # pragma: no cover - depends on how the script is started
    sys.exit(
        "ensure_postgres: psycopg is not installed for this python. "
        "Run `make install` and use .venv/bin/python."
    )

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker"
PROJECT_DIR = Path(__file__).resolve().parent.parent
PGDATA_ROOT = PROJECT_DIR / ".pgdata"
DATA_DIR = PGDATA_ROOT / "data"
SOCKET_DIR = PGDATA_ROOT / "run"
PORT_FILE = PGDATA_ROOT / "PORT"
LOG_FILE = PGDATA_ROOT / "server.log"
LOCAL_CONF_NAME = "project_local.conf"
LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "::1"}
# Unix socket paths are limited to about 107 bytes; leave room for "/.s.PGSQL.NNNNN".
MAX_SOCKET_DIR_LEN = 90


class SetupError(Exception):
    """A problem the user has to fix; the message says how."""


def say(message: str) -> None:
    print(f"ensure_postgres: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Target:
    """The parts of a DATABASE_URL this script needs, percent-decoded."""

    url: str
    user: str
    password: str
    host: str
    port: int
    dbname: str

    @classmethod
    def parse(cls, url: str) -> Target:
        try:
            parts = urlsplit(url)
            port = parts.port or 5432
        except ValueError as exc:
            raise SetupError(f"DATABASE_URL is not a valid URL: {exc}") from None
        if parts.scheme not in ("postgres", "postgresql"):
            raise SetupError("DATABASE_URL must start with postgres:// or postgresql://")
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname:
            raise SetupError("DATABASE_URL must end with a database name, e.g. .../tracker")
        return cls(
            url=url,
            user=unquote(parts.username or "") or "postgres",
            password=unquote(parts.password or ""),
            host=unquote(parts.hostname or ""),
            port=port,
            dbname=dbname,
        )

    def connect_kwargs(self, dbname: str) -> dict[str, object]:
        kwargs: dict[str, object] = {
            "dbname": dbname,
            "user": self.user,
            "port": self.port,
            "connect_timeout": 5,
        }
        if self.host:
            kwargs["host"] = self.host
        if self.password:
            kwargs["password"] = self.password
        return kwargs


def server_answers(host: str, port: int) -> bool:
    """True when something accepts connections at host:port (or the socket in dir `host`)."""
    if not host:
        # No host means libpq's default: a Unix socket in one of the usual directories.
        return any(server_answers(d, port) for d in ("/var/run/postgresql", "/tmp"))
    try:
        if host.startswith("/"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(2)
                sock.connect(os.path.join(host, f".s.PGSQL.{port}"))
        else:
            with socket.create_connection((host, port), timeout=2):
                pass
    except OSError:
        return False
    return True


def ensure_database(target: Target) -> None:
    """Create the target database unless it exists, via the maintenance database."""
    last_error: Exception | None = None
    # template1 exists on every cluster; `postgres` can in principle have been dropped.
    for maintenance_db in ("postgres", "template1"):
        try:
            conn = psycopg.connect(**target.connect_kwargs(maintenance_db), autocommit=True)
        except psycopg.OperationalError as exc:
            last_error = exc
            continue
        with conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (target.dbname,)
            ).fetchone()
            if exists:
                say(f"database {target.dbname!r} already exists")
                return
            # Another process may win the race to create it; existing is all we need.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                # CREATE DATABASE takes no bind parameters; Identifier quotes the name safely.
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.dbname)))
            say(f"created database {target.dbname!r}")
            return
    raise SetupError(
        f"a server answers at {target.host or 'the default socket'}:{target.port} but "
        f"connecting as {target.user!r} failed: {last_error}\n"
        "Check the user and password in DATABASE_URL, or grant that role CREATEDB."
    )


def runtime_url(target: Target, role: str) -> str:
    """Make sure the application's login role exists (no superuser, owns nothing) and return
    the URL that connects as it; its grants come from `manage.py migrate`."""
    with psycopg.connect(**target.connect_kwargs(target.dbname), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if not exists:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(
                    sql.Identifier(role)
                )
            )
            say(f"created the application's role {role!r} (it logs in as the server allows)")
    parts = urlsplit(target.url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{quote(role, safe='')}@{host}", parts.path, parts.query, ""))


# --- project-local cluster -------------------------------------------------------------


def find_pg_bindir() -> Path | None:
    """Find a directory that has both initdb and pg_ctl, preferring the newest version."""
    candidates: list[Path] = []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    candidates.append(Path("/usr/local/bin"))

    def version_key(path: str) -> tuple[int, ...]:
        match = re.search(r"/postgresql/(\d+)(?:\.(\d+))?/", path)
        return tuple(int(n) for n in match.groups() if n) if match else (0,)

    debian_dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin/"), key=version_key, reverse=True)
    candidates.extend(Path(d) for d in debian_dirs)
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    return None


def free_port() -> int:
    """Ask the kernel for a port nobody uses right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def running_local_port() -> int | None:
    """Port of the project-local cluster if it is up, from postmaster.pid (line 4)."""
    pid_file = DATA_DIR / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
        port = int(lines[3])
    except (OSError, IndexError, ValueError):
        return None
    return port if server_answers("127.0.0.1", port) else None


def conf_quote(value: str) -> str:
    """Quote a string for postgresql.conf (single quotes, doubled inside)."""
    return "'" + value.replace("'", "''") + "'"


def run(command: list[str]) -> None:
    say("running " + " ".join(command))
    # stdout of the tools goes to stderr: our stdout is reserved for the URL.
    result = subprocess.run(command, stdout=sys.stderr, stderr=sys.stderr, check=False)
    if result.returncode != 0:
        raise SetupError(f"{Path(command[0]).name} failed with exit code {result.returncode}")


def start_local_cluster(bindir: Path, user: str) -> int:
    """Initialise .pgdata/ once, start it if stopped, and return its port."""
    PGDATA_ROOT.mkdir(exist_ok=True)
    if not (DATA_DIR / "PG_VERSION").is_file():
        say(f"initialising a project-local cluster in {DATA_DIR}")
        run(
            [
                str(bindir / "initdb"),
                "-D",
                str(DATA_DIR),
                "-U",
                user,
                "--auth=trust",  # Local development only: listens on 127.0.0.1 alone.
                "--encoding=UTF8",
                "--no-locale",  # The C locale exists everywhere; no locale package needed.
            ]
        )
        # Our per-start settings live in a separate file so postgresql.conf stays pristine.
        with (DATA_DIR / "postgresql.conf").open("a") as conf:
            conf.write(f"\ninclude_if_exists = {conf_quote(LOCAL_CONF_NAME)}\n")

    port = running_local_port()
    if port is not None:
        say(f"project-local cluster already running on port {port}")
        return port

    # Reuse the remembered port when it is still free, so URLs saved elsewhere keep working.
    port = None
    try:
        remembered = int(PORT_FILE.read_text().strip())
        if not server_answers("127.0.0.1", remembered):
            port = remembered
    except (OSError, ValueError):
        pass
    if port is None:
        port = free_port()

    SOCKET_DIR.mkdir(exist_ok=True)
    socket_dir = str(SOCKET_DIR) if len(str(SOCKET_DIR)) <= MAX_SOCKET_DIR_LEN else ""
    (DATA_DIR / LOCAL_CONF_NAME).write_text(
        "# Written by scripts/ensure_postgres.py on every start.\n"
        f"port = {port}\n"
        "listen_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = {conf_quote(socket_dir)}\n"
    )
    PORT_FILE.write_text(f"{port}\n")
    say(f"starting project-local cluster on port {port} (log: {LOG_FILE})")
    run(
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(DATA_DIR),
            "-l",
            str(LOG_FILE),
            "-w",
            "-t",
            "60",
            "start",
        ]
    )
    return port


def stop_local_cluster() -> int:
    if not (DATA_DIR / "PG_VERSION").is_file():
        say("no project-local cluster in .pgdata/; nothing to stop")
        return 0
    if running_local_port() is None:
        say("project-local cluster is not running")
        return 0
    bindir = find_pg_bindir()
    if bindir is None:
        raise SetupError("pg_ctl not found; cannot stop the project-local cluster")
    run([str(bindir / "pg_ctl"), "-D", str(DATA_DIR), "-m", "fast", "-w", "stop"])
    say("project-local cluster stopped (delete .pgdata/ to throw its data away)")
    return 0


def local_url(target: Target, port: int) -> str:
    # Query options such as sslmode=require are dropped: the local cluster has no TLS.
    return f"postgres://{quote(target.user, safe='')}@127.0.0.1:{port}/{quote(target.dbname)}"


def root_instructions(target: Target) -> str:
    return (
        f"nothing answers at {target.host or '127.0.0.1'}:{target.port}, and PostgreSQL's "
        "initdb/pg_ctl refuse to run as root, so no project-local cluster can be started.\n"
        "Do one of these, then run this again:\n"
        "  * start the system cluster:\n"
        "      pg_ctlcluster --skip-systemctl-redirect "
        "$(ls /etc/postgresql | sort -V | tail -n1) main start\n"
        "  * or point DATABASE_URL at a running server, e.g.\n"
        "      export DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/tracker\n"
        "  * or run this as an ordinary (non-root) user to get a cluster under .pgdata/."
    )


def ensure() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    target = Target.parse(url)

    if server_answers(target.host, target.port):
        say(f"server answers at {target.host or 'default socket'}:{target.port}")
        ensure_database(target)
        return target.url

    port = running_local_port()
    if port is not None:
        say(f"nothing at {target.host}:{target.port}; using project-local cluster on {port}")
        local = Target.parse(local_url(target, port))
        ensure_database(local)
        return local.url

    if target.host not in LOCAL_HOSTS:
        # Quietly swapping a remote database for a local one would hide a real outage.
        raise SetupError(
            f"nothing answers at {target.host}:{target.port} (from DATABASE_URL). "
            "Start that server, or unset DATABASE_URL to use a local one."
        )
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        raise SetupError(root_instructions(target))

    bindir = find_pg_bindir()
    if bindir is None:
        raise SetupError(
            f"nothing answers at {target.host or '127.0.0.1'}:{target.port} and initdb/pg_ctl "
            "were not found (looked on PATH, in /usr/local/bin and /usr/lib/postgresql/*/bin).\n"
            "Install PostgreSQL (Debian: apt-get install postgresql) or set DATABASE_URL to a "
            "running server, then run this again."
        )
    port = start_local_cluster(bindir, target.user)
    local = Target.parse(local_url(target, port))
    ensure_database(local)
    return local.url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stop", action="store_true", help="stop the project-local cluster")
    parser.add_argument(
        "--runtime-role",
        metavar="NAME",
        help="also create the application's login role NAME and print its URL instead",
    )
    args = parser.parse_args()
    try:
        if args.stop:
            return stop_local_cluster()
        url = ensure()
        if args.runtime_role:
            url = runtime_url(Target.parse(url), args.runtime_role)
        print(url, flush=True)
    except SetupError as exc:
        say(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
