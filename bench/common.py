"""Pieces the benchmarks share: Django set-up, a database of their own, gunicorn with
production settings on a loopback port, and what the machine is.

``bench/search.py`` (and ``bench/pages.py``) set Django up in-process against a database;
``bench/load.py``, ``bench/faults.py`` and ``bench/pages.py`` start ``Server``.
"""

import contextlib
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def log(message):
    stamp = time.strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", flush=True)


# -- Django and the database ----------------------------------------------------------


def setup_django(url):
    """Django in this process, on the database at ``url`` (DEBUG on unless set: the
    test client and the query log)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    # One client sends every query: the API's per-client rate limit must not answer 429.
    os.environ.setdefault("API_RATE", "1000000/min")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()


def database_name(url):
    return url.rsplit("/", 1)[1].split("?")[0]


def ensure_database(url):
    """Create the database at ``url`` unless it exists; True if it was created."""
    import psycopg

    name = database_name(url)
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")
            return True
    return False


# -- the server -----------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(url, static_root, extra=None):
    """Production settings (DEBUG off, a fresh secret key, ALLOWED_HOSTS=127.0.0.1) over
    plain HTTP on loopback: the HTTPS redirect, HSTS and secure cookies off."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "load-test-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": url,
        "STATIC_ROOT": str(static_root),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        **(extra or {}),
    }


class Server:
    """gunicorn on a free loopback port, with static files collected to a temporary
    folder; a context manager that stops it (and says whether it ever restarted).

    ``env`` adds to (or overrides) the production environment; ``args`` are more
    gunicorn options (an access log, say)."""

    def __init__(self, url, *, workers=3, log_path=None, env=None, args=()):
        self.url = url
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.extra_env = env
        self.extra_args = list(args)
        self.process = None

    def __enter__(self):
        self._static = tempfile.TemporaryDirectory(prefix="nadzor-static-")
        self.static_root = Path(self._static.name)
        self.env = server_environment(self.url, self._static.name, self.extra_env)
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
            env=self.env,
            check=True,
            cwd=ROOT,
        )
        self._log = open(self.log_path, "w") if self.log_path else tempfile.TemporaryFile("w+")
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
        self.command = [
            gunicorn,
            "archive.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            *self.extra_args,
        ]
        self.process = subprocess.Popen(  # noqa: S603
            self.command, env=self.env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT
        )
        try:
            self._wait_until_up()
        except BaseException:
            self.__exit__(None, None, None)  # never leave gunicorn running behind
            raise
        self.worker_pids_at_start = set(self.worker_pids())
        return self

    def _wait_until_up(self, timeout=60):
        deadline, last = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start:\n" + self._log_tail())
            try:
                with urllib.request.urlopen(self.base + "/", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError as error:
                last = error
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s ({last}):\n{self._log_tail()}")

    def _log_tail(self):
        self._log.flush()
        with open(
            self._log.name if self.log_path else f"/proc/self/fd/{self._log.fileno()}"
        ) as log:
            return "".join(log.readlines()[-30:])

    def worker_pids(self):
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def rss_mb(self):
        """Resident memory of the master and of each worker, in MB."""

        def rss(pid):
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
            except OSError:
                pass
            return 0.0

        return rss(self.process.pid), [rss(pid) for pid in self.worker_pids()]

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        self._static.cleanup()


# -- the machine ----------------------------------------------------------------------


def cpu_model():
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def memory_gib():
    with contextlib.suppress(OSError, IndexError, ValueError):
        return round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
    return None


def commit():
    """The commit measured, and whether the app's code differs from it."""

    def git(*args):
        return subprocess.run(  # noqa: S603
            ["git", "-C", str(ROOT), *args],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    dirty = git("status", "--porcelain", "--", "records", "archive", "templates", "static")
    return git("rev-parse", "--short", "HEAD") + (
        " + uncommitted changes in the app" if dirty else ""
    )
