"""A throwaway PostgreSQL cluster started from the machine's PostgreSQL binaries.

``initdb`` refuses to run as root, so when the suite runs as root the cluster runs as the
``postgres`` user, with its data and socket folders owned by that user. The cluster listens on
127.0.0.1 on a free port (trust authentication, loopback only) and is removed at the end.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PostgresUnavailable(RuntimeError):  # noqa: N818 - reads as a state
    """The machine has no PostgreSQL binaries (the setup installs them)."""


def find_bindir() -> Path:
    candidates = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if out.returncode == 0:
            candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    raise PostgresUnavailable("PostgreSQL server binaries (initdb, pg_ctl) not found")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresCluster:
    def __init__(self, root: Path, port: int, bindir: Path, run_as: str | None) -> None:
        self.root = root
        self.port = port
        self.bindir = bindir
        self.run_as = run_as
        self._databases = 0

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def create_database(self, prefix: str = "td") -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        self._databases += 1
        name = f"{prefix}_{os.getpid()}_{self._databases}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cmd(args: list[str], run_as: str | None) -> list[str]:
    if run_as is None:
        return args
    return ["runuser", "-u", run_as, "--", *args]


@contextmanager
def postgres_cluster(extra_options: str = "") -> Iterator[PostgresCluster]:
    """``extra_options``: more ``-c name=value`` server settings (the benchmarks size the
    memory like a production server's)."""
    bindir = find_bindir()
    run_as = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="td-pg-"))
    data, sockets = root / "data", root / "sockets"
    data.mkdir()
    sockets.mkdir()
    if run_as:
        entry = pwd.getpwnam(run_as)
        for path in (root, data, sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    port = _free_port()
    log = root / "server.log"
    try:
        subprocess.run(
            _cmd(
                [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                run_as,
            ),
            check=True,
            capture_output=True,
        )
        _start(bindir, data, sockets, port, log, run_as, extra_options)
        cluster = PostgresCluster(root, port, bindir, run_as)
        _wait_ready(cluster)
        yield cluster
    finally:
        _stop(bindir, data, run_as)
        shutil.rmtree(root, ignore_errors=True)


def _start(bindir: Path, data: Path, sockets: Path, port: int, log: Path, run_as: str | None,
           extra_options: str = "") -> None:
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
        "-c shared_buffers=128MB " + extra_options
    )
    subprocess.run(
        _cmd([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log),
              "-w", "-t", "60", "start"], run_as),
        check=True,
        capture_output=True,
    )


def _stop(bindir: Path, data: Path, run_as: str | None) -> None:
    subprocess.run(
        _cmd([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
             run_as),
        capture_output=True,
    )


class Replica(PostgresCluster):
    """A streaming standby of a cluster (read-only, hot standby) that a test can stop."""

    def stop(self) -> None:
        _stop(self.bindir, self.root / "data", self.run_as)

    def replay(self, paused: bool) -> None:
        """Pause or resume applying the primary's WAL (the standby falls behind meanwhile)."""
        import psycopg

        call = "pg_wal_replay_pause" if paused else "pg_wal_replay_resume"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f"SELECT {call}()")


@contextmanager
def streaming_replica(primary: PostgresCluster) -> Iterator[Replica]:
    """A hot standby of ``primary`` (``pg_basebackup -R``: streaming replication over the
    loopback, which initdb's pg_hba.conf allows), on its own port, removed at the end."""
    root = Path(tempfile.mkdtemp(prefix="td-pg-replica-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if primary.run_as:
        entry = pwd.getpwnam(primary.run_as)
        for path in (root, sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    port = _free_port()
    try:
        subprocess.run(_cmd([str(primary.bindir / "pg_basebackup"), "-h", "127.0.0.1", "-p",
                             str(primary.port), "-U", "postgres", "-D", str(data), "-R",
                             "-X", "stream", "--checkpoint=fast", "--no-sync"], primary.run_as),
                       check=True, capture_output=True)
        _start(primary.bindir, data, sockets, port, root / "server.log", primary.run_as,
               "-c hot_standby=on")
        replica = Replica(root, port, primary.bindir, primary.run_as)
        _wait_ready(replica)
        yield replica
    finally:
        _stop(primary.bindir, data, primary.run_as)
        shutil.rmtree(root, ignore_errors=True)


def _wait_ready(cluster: PostgresCluster, timeout: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(cluster.dsn(), connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
