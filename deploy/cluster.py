"""A private, loopback-only mlmath deployment: nginx in front of gunicorn app servers.

`make cluster` starts nginx (TLS, load balancing, buffering) in front of two gunicorn
servers that share one PostgreSQL and one Redis, all private to a temporary directory and
bound to 127.0.0.1, and stops everything when it exits. `deploy/loadtest.py` drives the same
class and kills or restarts its parts. The nginx and gunicorn configuration files are the
ones in `deploy/` that docs/operations.md describes.
"""

import argparse
import contextlib
import ctypes
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEPLOY_DIR = PROJECT_DIR / "deploy"
NGINX_SITE_TEMPLATE = DEPLOY_DIR / "nginx" / "mlmath.conf"
GUNICORN_CONFIG = DEPLOY_DIR / "gunicorn.conf.py"
VENV_BIN = Path(sys.executable).parent
CURATOR_USERNAME = "curator"
# Port offsets from the cluster's base port (i12d owns 18700-18799).
HTTPS_OFFSET, HTTP_OFFSET, APP_OFFSET, POSTGRES_OFFSET, REDIS_OFFSET = 0, 1, 10, 20, 30


class ClusterError(RuntimeError):
    pass


def _die_with_parent():
    """Children get SIGTERM if this Python process dies without cleaning up."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def wait_for(check, timeout, what):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception as error:
            last_error = error
        time.sleep(0.2)
    raise ClusterError(f"{what} did not come up within {timeout} s ({last_error})")


def port_open(port):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def postgres_bin_dir():
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(path.split("/")[-2])
    )
    if not candidates:
        raise ClusterError("PostgreSQL server binaries not found under /usr/lib/postgresql")
    return Path(candidates[-1])


def render_nginx_site(template, **values):
    text = template
    for name, value in values.items():
        text = text.replace(f"{{{{ {name} }}}}", value)
    if "{{" in text:
        raise ClusterError("nginx template has an unfilled placeholder")
    return text


class Cluster:
    """nginx + N gunicorn servers + (PostgreSQL and Redis, or SQLite), private and loopback."""

    def __init__(
        self,
        *,
        base_port=18700,
        database="postgresql",
        app_servers=2,
        workers=3,
        redis=True,
        workdir=None,
        keep_workdir=False,
    ):
        if database not in {"postgresql", "sqlite"}:
            raise ValueError("database is postgresql or sqlite")
        self.base_port = base_port
        self.database = database
        self.app_server_count = app_servers
        self.workers = workers
        self.use_redis = redis
        self.keep_workdir = keep_workdir or workdir is not None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix=f"mlmath-cluster-{base_port}-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        # nginx workers and PostgreSQL run as unprivileged users and must reach their files.
        self.workdir.chmod(0o755)
        self.processes = {}
        self.secret_key = secrets.token_urlsafe(50)
        self.curator_password = secrets.token_urlsafe(12)

    # Addresses -----------------------------------------------------------------------

    @property
    def https_port(self):
        return self.base_port + HTTPS_OFFSET

    @property
    def http_port(self):
        return self.base_port + HTTP_OFFSET

    @property
    def postgres_port(self):
        return self.base_port + POSTGRES_OFFSET

    @property
    def redis_port(self):
        return self.base_port + REDIS_OFFSET

    def app_port(self, index):
        return self.base_port + APP_OFFSET + index

    @property
    def origin(self):
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def certificate(self):
        return self.workdir / "tls" / "cert.pem"

    def ssl_context(self):
        return ssl.create_default_context(cafile=str(self.certificate))

    @property
    def database_url(self):
        if self.database == "sqlite":
            return f"sqlite:///{self.workdir / 'db.sqlite3'}"
        return f"postgres://postgres@127.0.0.1:{self.postgres_port}/mlmath"

    @property
    def env(self):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"))
        }
        env.update(
            DEBUG="0",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CSRF_TRUSTED_ORIGINS=self.origin,
            SITE_URL=self.origin,
            DATABASE_URL=self.database_url,
            SECURE_PROXY_SSL_HEADER="1",
            TRUSTED_PROXY_COUNT="1",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
            DJANGO_SETTINGS_MODULE="mlmath.settings",
        )
        if self.use_redis:
            env["REDIS_URL"] = f"redis://127.0.0.1:{self.redis_port}/0"
        return env

    # Process handling ----------------------------------------------------------------

    def _spawn(self, name, command, *, user=None, env=None):
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed in _stop
        kwargs = {}
        if user:
            kwargs.update(user=user, group=pwd.getpwnam(user).pw_gid)
        process = subprocess.Popen(
            [str(part) for part in command],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=PROJECT_DIR,
            env=env or self.env,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            **kwargs,
        )
        self.processes[name] = (process, log)
        return process

    def _stop(self, name, sig=signal.SIGTERM, timeout=15):
        process, log = self.processes.pop(name, (None, None))
        if process is None:
            return
        for signal_to_send in (sig, signal.SIGKILL):
            if process.poll() is not None:
                break
            try:
                os.killpg(process.pid, signal_to_send)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                continue
        log.close()

    def running(self, name):
        process = self.processes.get(name, (None, None))[0]
        return process is not None and process.poll() is None

    def log_tail(self, name, lines=30):
        path = self.workdir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # PostgreSQL ----------------------------------------------------------------------

    def _postgres_user(self):
        return "postgres" if os.geteuid() == 0 else None

    def init_postgres(self):
        data_dir = self.workdir / "pgdata"
        socket_dir = self.workdir / "pgsocket"
        socket_dir.mkdir(exist_ok=True)
        user = self._postgres_user()
        if user:
            account = pwd.getpwnam(user)
            os.chown(socket_dir, account.pw_uid, account.pw_gid)
            data_dir.mkdir(exist_ok=True)
            os.chown(data_dir, account.pw_uid, account.pw_gid)
        kwargs = {"user": user, "group": pwd.getpwnam(user).pw_gid} if user else {}
        subprocess.run(
            [postgres_bin_dir() / "initdb", "-D", data_dir, "-U", "postgres", "--auth=trust"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd="/",
            **kwargs,
        )

    def start_postgres(self):
        self._spawn(
            "postgres",
            [
                postgres_bin_dir() / "postgres",
                "-D",
                self.workdir / "pgdata",
                "-p",
                self.postgres_port,
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={self.workdir / 'pgsocket'}",
                "-c",
                "max_connections=200",
            ],
            user=self._postgres_user(),
        )
        wait_for(self._postgres_ready, 30, "PostgreSQL")

    def _postgres_ready(self):
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.postgres_port}/postgres", connect_timeout=2
        ):
            return True

    def stop_postgres(self):
        # SIGINT is PostgreSQL's "fast" shutdown: sessions are cut, committed work is kept.
        self._stop("postgres", sig=signal.SIGINT)

    def create_database(self):
        import psycopg

        url = f"postgresql://postgres@127.0.0.1:{self.postgres_port}/postgres"
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CREATE DATABASE mlmath")

    def query(self, sql):
        """Rows of one SQL query on the cluster's database (for the load test's checks)."""
        if self.database == "sqlite":
            with sqlite3.connect(self.workdir / "db.sqlite3", timeout=30) as connection:
                return connection.execute(sql).fetchall()
        import psycopg

        url = f"postgresql://postgres@127.0.0.1:{self.postgres_port}/mlmath"
        with psycopg.connect(url, connect_timeout=10) as connection:
            return connection.execute(sql).fetchall()

    # Redis ---------------------------------------------------------------------------

    def start_redis(self):
        self._spawn(
            "redis",
            [
                "redis-server",
                "--port",
                self.redis_port,
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.workdir,
            ],
        )
        wait_for(lambda: port_open(self.redis_port), 15, "Redis")

    def stop_redis(self):
        self._stop("redis")

    # Django and gunicorn -------------------------------------------------------------

    def manage(self, *args, input_text=None):
        result = subprocess.run(
            [VENV_BIN / "python", "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            input=input_text,
            text=True,
            capture_output=True,
        )
        if result.returncode != 0:
            raise ClusterError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def prepare_database(self, learners, collectstatic=True):
        """Migrate, seed, collect static files and create the accounts, in one Django process.

        Learners are `learner01`... with password `<username>-pass`; the curator is a
        superuser with a random password.
        """
        script = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)
if {collectstatic!r}:
    call_command("collectstatic", interactive=False, verbosity=0)
call_command("loaddata", "catalog", verbosity=0)
User = get_user_model()
User.objects.bulk_create(
    User(
        username=f"learner{{number:02d}}",
        email=f"learner{{number:02d}}@example.org",
        password=make_password(f"learner{{number:02d}}-pass"),
    )
    for number in range(1, {learners} + 1)
)
User.objects.create_superuser(
    "{CURATOR_USERNAME}", "curator@example.org", "{self.curator_password}"
)
"""
        self.manage("shell", "-c", script)

    def start_app(self, index, wait=True):
        env = self.env
        env.update(
            GUNICORN_BIND=f"127.0.0.1:{self.app_port(index)}",
            GUNICORN_WORKERS=str(self.workers),
            GUNICORN_PROC_NAME=f"mlmath-app{index + 1}",
        )
        self._spawn(
            f"app{index + 1}",
            [VENV_BIN / "gunicorn", "--config", GUNICORN_CONFIG, "mlmath.wsgi"],
            env=env,
        )
        if wait:
            wait_for(lambda: self._app_healthy(index), 90, f"app server {index + 1}")

    def start_apps(self):
        """Start every app server at once, then wait until each answers /healthz.

        All from this thread: a child's parent-death signal fires when the *thread* that
        started it ends.
        """
        for index in range(self.app_server_count):
            self.start_app(index, wait=False)
        for index in range(self.app_server_count):
            wait_for(lambda index=index: self._app_healthy(index), 90, f"app server {index + 1}")

    def _app_healthy(self, index):
        request = urllib.request.Request(f"http://127.0.0.1:{self.app_port(index)}/healthz")
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200

    def kill_app(self, index):
        """Kill an app server the hard way (master and workers), as a crash would."""
        self._stop(f"app{index + 1}", sig=signal.SIGKILL)

    # nginx ---------------------------------------------------------------------------

    def make_certificate(self):
        tls_dir = self.workdir / "tls"
        tls_dir.mkdir(exist_ok=True)
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                tls_dir / "key.pem",
                "-out",
                tls_dir / "cert.pem",
            ],
            check=True,
            capture_output=True,
        )

    def write_nginx_config(self):
        nginx_dir = self.workdir / "nginx"
        for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (nginx_dir / temp).mkdir(parents=True, exist_ok=True)
            (nginx_dir / temp).chmod(0o777)
        app_servers = "\n".join(
            f"    server 127.0.0.1:{self.app_port(index)} max_fails=1 fail_timeout=10s;"
            for index in range(self.app_server_count)
        )
        site = render_nginx_site(
            NGINX_SITE_TEMPLATE.read_text(),
            app_servers=app_servers,
            http_listen=f"127.0.0.1:{self.http_port}",
            https_listen=f"127.0.0.1:{self.https_port}",
            https_port_suffix=f":{self.https_port}",
            server_name="127.0.0.1 localhost",
            ssl_certificate=str(self.workdir / "tls" / "cert.pem"),
            ssl_certificate_key=str(self.workdir / "tls" / "key.pem"),
        )
        (nginx_dir / "mlmath.conf").write_text(site)
        # The wrapper Debian's /etc/nginx/nginx.conf would be: private pid, logs and temp dirs.
        user_line = "user nobody nogroup;" if os.geteuid() == 0 else ""
        (nginx_dir / "nginx.conf").write_text(
            f"""{user_line}
worker_processes 2;
daemon off;
pid {nginx_dir}/nginx.pid;
error_log {self.workdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstreams '$msec $status $upstream_addr $request_time "$request"';
    access_log {self.workdir}/nginx-access.log upstreams;
    client_body_temp_path {nginx_dir}/body;
    proxy_temp_path {nginx_dir}/proxy;
    fastcgi_temp_path {nginx_dir}/fastcgi;
    uwsgi_temp_path {nginx_dir}/uwsgi;
    scgi_temp_path {nginx_dir}/scgi;
    server_tokens off;
    include {nginx_dir}/mlmath.conf;
}}
"""
        )

    def nginx_command(self):
        nginx_dir = self.workdir / "nginx"
        return [
            shutil.which("nginx") or "/usr/sbin/nginx",
            "-p",
            nginx_dir,
            "-c",
            nginx_dir / "nginx.conf",
            "-e",
            self.workdir / "nginx-error.log",
        ]

    def start_nginx(self):
        subprocess.run(
            [*self.nginx_command(), "-t", "-q"], check=True, capture_output=True, cwd="/"
        )
        self._spawn("nginx", self.nginx_command())
        wait_for(lambda: port_open(self.https_port), 15, "nginx")

    # The whole cluster ---------------------------------------------------------------

    def start(self, learners=50, collectstatic=True):
        for port in self._ports():
            if port_open(port):
                raise ClusterError(f"port {port} is already in use: another cluster running?")
        if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
            raise ClusterError("nginx is not installed: apt-get install nginx")
        self.timings = {}
        self._timed("certificate", self.make_certificate)
        if self.database == "postgresql":
            self._timed("initdb", self.init_postgres)
            self._timed("PostgreSQL", self.start_postgres)
            self.create_database()
        if self.use_redis:
            self._timed("Redis", self.start_redis)
        self._timed("migrate and seed", lambda: self.prepare_database(learners, collectstatic))
        self._timed("app servers", self.start_apps)
        self.write_nginx_config()
        self._timed("nginx", self.start_nginx)
        return self

    def _timed(self, name, step):
        started = time.monotonic()
        step()
        self.timings[name] = time.monotonic() - started

    def _ports(self):
        ports = [self.https_port, self.http_port]
        ports += [self.app_port(index) for index in range(self.app_server_count)]
        if self.database == "postgresql":
            ports.append(self.postgres_port)
        if self.use_redis:
            ports.append(self.redis_port)
        return ports

    def stop(self):
        for name in reversed(list(self.processes)):
            if name == "postgres":
                self.stop_postgres()
            else:
                self._stop(name)
        if not self.keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def stop_on_signals():
    """Turn SIGTERM/SIGHUP into SystemExit so that `finally` blocks stop the cluster."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, handler)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-port", type=int, default=18700)
    parser.add_argument("--minutes", type=float, default=30, help="stop after this long")
    parser.add_argument("--sqlite", action="store_true", help="one server on SQLite, no Redis")
    parser.add_argument("--learners", type=int, default=5)
    arguments = parser.parse_args()
    stop_on_signals()
    if arguments.sqlite:
        cluster = Cluster(
            base_port=arguments.base_port, database="sqlite", app_servers=1, redis=False
        )
    else:
        cluster = Cluster(base_port=arguments.base_port)
    with cluster:
        try:
            cluster.start(learners=arguments.learners)
        except (ClusterError, subprocess.CalledProcessError) as error:
            print(f"cluster failed to start: {error}", file=sys.stderr)
            return 1
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in cluster.timings.items())
        print(f"mlmath cluster in {cluster.workdir} (started: {steps})")
        print(f"  {cluster.origin}/  (nginx; certificate {cluster.certificate})")
        for index in range(cluster.app_server_count):
            print(f"  app server {index + 1}: 127.0.0.1:{cluster.app_port(index)}")
        if cluster.database == "postgresql":
            print(f"  PostgreSQL: {cluster.database_url}")
        if cluster.use_redis:
            print(f"  Redis: redis://127.0.0.1:{cluster.redis_port}/0")
        print(
            "  sign in as learner01 / learner01-pass,"
            f" or {CURATOR_USERNAME} / {cluster.curator_password}"
        )
        print(f"Stops in {arguments.minutes:g} minutes or on Ctrl-C.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            time.sleep(arguments.minutes * 60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
