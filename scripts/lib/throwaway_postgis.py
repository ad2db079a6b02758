"""A throwaway PostgreSQL 15 + PostGIS 3 cluster in a temporary directory.

Used by the test suites (tests/support), the benchmark and by hand through
scripts/throwaway-postgis. The cluster

- lives in a fresh temporary directory (data, Unix socket, log) that is
  removed when it stops;
- runs as an unprivileged user: PostgreSQL refuses to run as root, so when
  this runs as root (CI does) initdb/pg_ctl run as the `postgres` system
  user that Debian's package creates (or `nobody`), through runuser;
- listens on 127.0.0.1 on its own port (by default a free one in
  18500-18599, or REGIOMAP_PG_PORTS=first-last) and on its own socket;
- trusts the superuser `postgres` from 127.0.0.1 and the socket, and asks
  every other role for its password (scram-sha-256), so that tests can
  exercise password handling;
- is stopped by a watchdog process if the process that started it dies
  without stopping it (a killed test run leaves no server behind).

    with Cluster() as pg:
        pg.create_database("gis")
        print(pg.dsn("gis"))     # host=127.0.0.1 port=18512 user=postgres dbname=gis
"""
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

PG_BIN = "/usr/lib/postgresql/15/bin"
DEFAULT_PORTS = (18500, 18599)

# Throwaway data: durability is not wanted, speed is.
FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "jit": "off",
    "shared_buffers": "64MB",
    "max_connections": "60",
    "wal_level": "replica",
    "max_wal_senders": "4",
    "wal_keep_size": "64MB",
    "hot_standby": "on",
    "logging_collector": "off",
    "log_min_messages": "warning",
}


class ClusterError(RuntimeError):
    pass


def _port_range():
    spec = os.environ.get("REGIOMAP_PG_PORTS")
    if spec:
        first, last = (int(p) for p in spec.split("-"))
        return first, last
    return DEFAULT_PORTS


def _port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _candidate_ports():
    first, last = _port_range()
    ports = list(range(first, last + 1))
    random.shuffle(ports)
    return [p for p in ports if _port_is_free(p)]


def _run_as_user():
    """The user the server runs as, or None to run as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ClusterError("running as root, and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL")


class Cluster:
    """One PostgreSQL cluster. `primary`: make a streaming replica of that
    cluster (pg_basebackup -R) instead of a new one."""

    def __init__(self, port=None, primary=None, settings=None, name="regiomap-pg"):
        if not os.path.exists(os.path.join(PG_BIN, "initdb")):
            raise ClusterError(f"PostgreSQL 15 is not installed ({PG_BIN}/initdb missing): "
                               "apt-get install postgresql-15 postgresql-15-postgis-3")
        self.user = _run_as_user()
        self.requested_port = port
        self.primary = primary
        self.settings = dict(FAST_SETTINGS, **(settings or {}))
        self.name = name
        self.dir = None
        self.port = None
        self.watchdog = None

    # --- paths and connection strings --------------------------------------

    @property
    def data_dir(self):
        return os.path.join(self.dir, "data")

    @property
    def socket_dir(self):
        return self.dir

    @property
    def log_path(self):
        return os.path.join(self.dir, "postgres.log")

    def dsn(self, dbname="postgres", user="postgres", password=None, host="127.0.0.1"):
        """A libpq key=value connection string (no 'PG:' prefix)."""
        parts = [f"host={host}", f"port={self.port}", f"user={user}", f"dbname={dbname}"]
        if password is not None:
            parts.append(f"password={password}")
        return " ".join(parts)

    def gdal(self, dbname="postgres", **kwargs):
        return "PG:" + self.dsn(dbname, **kwargs)

    def env(self, dbname="postgres"):
        """Environment variables that point libpq (psql, GDAL, regiomap) at the cluster."""
        return {"PGHOST": "127.0.0.1", "PGPORT": str(self.port), "PGUSER": "postgres", "PGDATABASE": dbname}

    # --- life cycle ---------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        self.dir = tempfile.mkdtemp(prefix=self.name + "-")
        os.chmod(self.dir, 0o700)
        if self.user:
            shutil.chown(self.dir, self.user, self.user if _has_group(self.user) else None)
        try:
            if self.primary is None:
                self._as_user([f"{PG_BIN}/initdb", "-D", self.data_dir, "-A", "trust", "-U", "postgres",
                               "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
                self._write_hba()
            else:
                self._as_user([f"{PG_BIN}/pg_basebackup", "-D", self.data_dir, "-R", "-X", "stream",
                               "-c", "fast", "-d", self.primary.dsn() + " application_name=" + self.name,
                               "--no-sync"])
            self._write_settings()
            open(self.log_path, "a").close()
            if self.user:
                shutil.chown(self.log_path, self.user)
            ports = [self.requested_port] if self.requested_port else _candidate_ports()
            if not ports:
                raise ClusterError("no free port in %d-%d for PostgreSQL" % _port_range())
            last_error = None
            for port in ports[:5]:
                self.port = port
                try:
                    self._as_user([f"{PG_BIN}/pg_ctl", "-D", self.data_dir, "-l", self.log_path, "-w", "-t", "60",
                                   "-o", f"-p {port} -k {self.socket_dir} -c listen_addresses=127.0.0.1",
                                   "start"])
                    break
                except ClusterError as error:  # lost a race for the port: try the next
                    last_error = error
                    if "could not bind" not in self.log() and "already in use" not in self.log():
                        raise
            else:
                raise last_error
            self._start_watchdog()
        except BaseException:
            self.close()
            raise
        return self

    def stop(self, mode="fast"):
        """Stops the server but keeps its directory (for restart())."""
        if self.dir and os.path.exists(os.path.join(self.data_dir, "postmaster.pid")):
            self._as_user([f"{PG_BIN}/pg_ctl", "-D", self.data_dir, "-m", mode, "-w", "-t", "60", "stop"],
                          check=False)

    def restart(self):
        self._as_user([f"{PG_BIN}/pg_ctl", "-D", self.data_dir, "-l", self.log_path, "-w", "-t", "60",
                       "-o", f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1", "start"])

    def close(self):
        """Stops the server and removes everything it wrote."""
        try:
            self.stop("immediate" if self.primary is not None else "fast")
        finally:
            if self.watchdog and self.watchdog.poll() is None:
                self.watchdog.terminate()
                self.watchdog.wait()
            self.watchdog = None
            if self.dir:
                shutil.rmtree(self.dir, ignore_errors=True)
                self.dir = None

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except (OSError, TypeError):
            return ""

    # --- SQL ------------------------------------------------------------------

    def sql(self, text, dbname="postgres", capture=False):
        """Runs SQL with psql as the superuser; returns the unaligned output when `capture`."""
        result = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", self.dsn(dbname),
                                 "-c", text], capture_output=True, text=True)
        if result.returncode != 0:
            raise ClusterError(f"psql failed: {result.stderr.strip()}")
        return result.stdout.strip() if capture else None

    def create_database(self, dbname, postgis=True):
        self.sql(f'CREATE DATABASE "{dbname}"')
        if postgis:
            self.sql("CREATE EXTENSION IF NOT EXISTS postgis", dbname)

    def wait_for_replay(self, primary, timeout=30):
        """Waits until this replica has replayed everything the primary has written."""
        target = primary.sql("SELECT pg_current_wal_lsn()", capture=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", capture=True)
            if done == "t":
                return
            time.sleep(0.05)
        raise ClusterError(f"replica did not replay up to {target} within {timeout} s")

    # --- internals --------------------------------------------------------------

    def _as_user(self, args, check=True):
        command = (["runuser", "-u", self.user, "--"] if self.user else []) + args
        result = subprocess.run(command, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if check and result.returncode != 0:
            raise ClusterError(f"{os.path.basename(args[0])} failed ({result.returncode}): "
                               f"{result.stdout.strip()}\n{self.log()[-2000:]}")
        return result

    def _write_hba(self):
        with open(os.path.join(self.data_dir, "pg_hba.conf"), "w") as f:
            f.write("# regiomap throwaway cluster: the superuser is trusted locally,\n"
                    "# every other role needs its password.\n"
                    "local all         postgres                trust\n"
                    "local all         all                     scram-sha-256\n"
                    "host  all         postgres 127.0.0.1/32   trust\n"
                    "host  all         all      127.0.0.1/32   scram-sha-256\n"
                    "local replication postgres                trust\n"
                    "host  replication postgres 127.0.0.1/32   trust\n")

    def _write_settings(self):
        with open(os.path.join(self.data_dir, "postgresql.auto.conf"), "a") as f:
            f.write("\n# regiomap throwaway cluster\n")
            for key, value in self.settings.items():
                f.write(f"{key} = '{value}'\n")

    def _start_watchdog(self):
        self.watchdog = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--watchdog", str(os.getpid()), self.dir,
             self.user or ""],
            start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _has_group(user):
    import grp
    try:
        grp.getgrnam(user)
        return True
    except KeyError:
        return False


def _watchdog(owner_pid, directory, user):
    """Stops the cluster in `directory` once `owner_pid` is gone; SIGTERM ends the watch."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        try:
            os.kill(owner_pid, 0)
        except ProcessLookupError:
            break
        except PermissionError:
            pass
        time.sleep(1)
    data = os.path.join(directory, "data")
    if os.path.exists(os.path.join(data, "postmaster.pid")):
        command = (["runuser", "-u", user, "--"] if user else []) + [f"{PG_BIN}/pg_ctl", "-D", data, "-m",
                                                                      "immediate", "-w", "stop"]
        subprocess.run(command, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "--watchdog":
    _watchdog(int(sys.argv[2]), sys.argv[3], sys.argv[4])
