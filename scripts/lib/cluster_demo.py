"""regiomap beyond one machine, on one machine: a PostGIS primary, a
streaming replica of it, N regiomap processes reading the replica and nginx
in front (upstream with retries, proxy_cache for tiles with ETag
revalidation). Used by scripts/cluster-demo and tests/cluster/.

    with Demo(regiomap_binary) as demo:
        print(demo.url)                      # nginx
        demo.primary.sql("UPDATE …", "regiomap")

Everything lives in temporary directories and is stopped and removed by
close(), in the reverse order of start(). PostgreSQL and nginx run as an
unprivileged user when this runs as root (as CI does). No password exists
anywhere: the clusters trust the superuser from 127.0.0.1 (scripts/lib/
throwaway_postgis.py), so no connection string holds a secret to leak.
"""
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
from throwaway_postgis import Cluster, _run_as_user  # noqa: E402

NGINX_TEMPLATE = REPO / "scripts" / "cluster-demo.d" / "nginx.conf.in"
DATABASE = "regiomap"


class DemoError(RuntimeError):
    pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, headers=None, timeout=10):
    """(status, headers with lower-case names, body) of one GET on 127.0.0.1:port."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise DemoError(f"{what} within {timeout} s")


class Regiomap:
    """One regiomap process on a fixed port (so that it can be restarted where nginx expects it)."""

    def __init__(self, binary, source, port, log_path, extra_args=()):
        self.binary = binary
        self.source = source
        self.port = port
        self.log_path = log_path
        self.extra_args = list(extra_args)
        self.process = None

    def start(self, timeout=60):
        args = [self.binary, "--data", self.source, "--address", "127.0.0.1", "--port", str(self.port),
                "--access-log", "-"] + self.extra_args
        log = open(self.log_path, "ab")
        # From the repository: the web map, styles and glyphs at their default paths.
        self.process = subprocess.Popen(args, cwd=REPO, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        wait_until(lambda: self.process.poll() is None and http_get(self.port, "/health", timeout=2)[0] == 200,
                   timeout, f"regiomap on port {self.port} did not serve its data (log: {self.log_path})")
        return self

    def kill(self):
        """SIGKILL: no graceful stop, connections cut (what a crash looks like to nginx)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode if self.process else None

    def reload(self):
        self.process.send_signal(signal.SIGHUP)

    def health(self):
        import json
        status, _, body = http_get(self.port, "/health")
        return status, json.loads(body)


class Nginx:
    """nginx in the foreground with its own config, pid, logs, cache and temp files in one directory."""

    def __init__(self, directory, port, upstream_ports, user=None):
        self.dir = directory
        self.port = port
        self.upstream_ports = upstream_ports
        self.user = user
        self.process = None

    @property
    def config_path(self):
        return os.path.join(self.dir, "nginx.conf")

    def render(self):
        upstreams = "".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;\n"
                            for port in self.upstream_ports)
        text = NGINX_TEMPLATE.read_text()
        for name, value in {"@DIR@": self.dir, "@LISTEN@": f"127.0.0.1:{self.port}",
                            "@UPSTREAM_SERVERS@": upstreams.strip()}.items():
            text = text.replace(name, value)
        with open(self.config_path, "w") as f:
            f.write(text)

    def start(self, timeout=20):
        os.makedirs(self.dir, exist_ok=True)
        self.render()
        if self.user:
            shutil.chown(self.dir, self.user)
        command = ["nginx", "-p", self.dir, "-c", self.config_path, "-e", os.path.join(self.dir, "error.log")]
        self._run(command + ["-t", "-q"])  # a config error is one clear message, before anything listens
        runner = ["runuser", "-u", self.user, "--"] if self.user else []
        self.process = subprocess.Popen(runner + command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        wait_until(lambda: self.process.poll() is None and http_get(self.port, "/health", timeout=2)[0] == 200,
                   timeout, f"nginx did not answer on port {self.port} (see {self.dir}/error.log)")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            # SIGQUIT: graceful (workers finish their requests); the master
            # reaps them, so nothing is left behind.
            os.killpg(self.process.pid, signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def access_log(self):
        try:
            with open(os.path.join(self.dir, "access.log"), encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def _run(self, command):
        runner = ["runuser", "-u", self.user, "--"] if self.user else []
        result = subprocess.run(runner + command, capture_output=True, text=True)
        if result.returncode != 0:
            raise DemoError(f"nginx: {result.stderr.strip()}")


class Demo:
    """The whole topology; a context manager that leaves nothing behind."""

    def __init__(self, binary, regiomaps=2, port=None, regiomap_args=(), log=print):
        self.binary = binary
        self.count = regiomaps
        self.port = port
        self.regiomap_args = list(regiomap_args)
        self.log = log
        self.dir = None
        self.primary = None
        self.replica = None
        self.regiomaps = []
        self.nginx = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.nginx.port}/"

    def source(self):
        """The replica as a GDAL PostGIS source; no password (trust on 127.0.0.1)."""
        return self.replica.gdal(DATABASE)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def start(self):
        try:
            self.dir = tempfile.mkdtemp(prefix="regiomap-cluster-")
            os.chmod(self.dir, 0o755)  # nginx's own directory below is its user's
            started = time.monotonic()
            self.primary = Cluster(name="regiomap-primary").start()
            self.primary.create_database(DATABASE)
            subprocess.run([str(REPO / "scripts" / "load-postgis"), "--quiet", self.primary.gdal(DATABASE)],
                           check=True)
            self.log(f"primary: PostgreSQL on 127.0.0.1:{self.primary.port}, Beichen data loaded "
                     f"({time.monotonic() - started:.1f} s)")
            # The replica is a copy of the primary made with pg_basebackup -R:
            # it streams the primary's WAL and answers read-only queries (hot standby).
            self.replica = Cluster(primary=self.primary, name="regiomap-replica").start()
            self.replica.wait_for_replay(self.primary)
            self.log(f"replica: streaming from the primary, on 127.0.0.1:{self.replica.port}")
            ports = self._ports(self.count)
            for index, port in enumerate(ports):
                log_path = os.path.join(self.dir, f"regiomap-{index + 1}.log")
                self.regiomaps.append(Regiomap(self.binary, self.source(), port, log_path, self.regiomap_args))
            for server in self.regiomaps:
                server.start()
                self.log(f"regiomap: 127.0.0.1:{server.port} reading the replica (log {server.log_path})")
            self.nginx = Nginx(os.path.join(self.dir, "nginx"), self.port or free_port(), ports,
                               user=_run_as_user()).start()
            self.log(f"nginx: {self.url} in front of {len(ports)} regiomap processes "
                     f"(config {self.nginx.config_path}); ready in {time.monotonic() - started:.1f} s")
        except BaseException:
            self.close()
            raise
        return self

    def close(self):
        """Stops everything, in the reverse order, and removes its files."""
        errors = []
        for stop in ([self.nginx.stop] if self.nginx else []) + [r.stop for r in reversed(self.regiomaps)] + \
                ([self.replica.close] if self.replica else []) + ([self.primary.close] if self.primary else []):
            try:
                stop()
            except Exception as error:  # keep stopping the rest
                errors.append(error)
        self.nginx, self.regiomaps, self.replica, self.primary = None, [], None, None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
        if errors:
            raise errors[0]

    def _ports(self, count):
        ports = set()
        while len(ports) < count:
            ports.add(free_port())
        return sorted(ports)

    def restart_replica(self):
        """pg_ctl restart of the replica (fast shutdown: its connections are cut)."""
        self.replica._as_user(["/usr/lib/postgresql/15/bin/pg_ctl", "-D", self.replica.data_dir, "-m", "fast",
                               "-w", "-t", "60", "-l", self.replica.log_path, "-o",
                               f"-p {self.replica.port} -k {self.replica.socket_dir} "
                               "-c listen_addresses=127.0.0.1", "restart"])

