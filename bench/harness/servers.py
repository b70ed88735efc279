"""Starting the portal and the floor as `reflex run --env prod` does, each on a free port
(frontend and backend on the same one), and reading their processes' memory and CPU."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLOOR_DIR = ROOT / "bench" / "floor"
BIN = Path(sys.executable).parent
SECRET = "o2bench-secret-key-not-for-production-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen
    log: Path
    env: dict = field(default_factory=dict)

    def pids(self) -> list[int]:
        """Every process of the server's session (the reflex command and its workers)."""
        out = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.proc.pid:  # session id
                out.append(int(entry))
        return out

    def rss_mib(self) -> float:
        """Resident memory of the server's processes, in MiB."""
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by the server's processes."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / ticks

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def _base_env() -> dict:
    env = dict(os.environ)
    env.update(
        REFLEX_USE_NPM="1",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
        PYTHONUNBUFFERED="1",
        PATH=f"{BIN}:{env.get('PATH', '')}",
    )
    env.pop("O2PORTAL_REDIS_URL", None)
    return env


def portal_env(work: Path, db: Path, port: int, redis_url: str | None = None) -> dict:
    env = {
        "O2PORTAL_DATABASE_URL": f"sqlite:///{db}",
        "O2PORTAL_DATA_DIR": str(work / "data"),
        "O2PORTAL_BASE_URL": f"http://localhost:{port}",
        "O2PORTAL_SECRET_KEY": SECRET,
        "O2PORTAL_SMTP_HOST": "",
    }
    if redis_url:
        env["O2PORTAL_REDIS_URL"] = redis_url
    return env


def start(name: str, cwd: Path, env: dict, port: int, log: Path, workers: int = 1) -> Server:
    full = {**_base_env(), **env, "GRANIAN_WORKERS": str(workers)}
    command = [str(BIN / "reflex")]
    if name.startswith("portal"):
        # This checkout's o2portal, not the one the shared virtualenv was installed from.
        full["PYTHONPATH"] = str(ROOT)
        if workers > 1:  # as `make run-scaled`: a dead worker is started again
            command = [str(BIN / "python"), "-m", "o2portal.web.run_scaled"]
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                *command,
                "run",
                "--env",
                "prod",
                "--frontend-port",
                str(port),
                "--backend-port",
                str(port),
            ],
            cwd=cwd,
            env=full,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name, f"http://localhost:{port}", proc, log, env)


def wait_ready(server: Server, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.name} stopped while starting:\n{server.log.read_text()[-4000:]}"
            )
        try:
            with urllib.request.urlopen(server.url + "/ping", timeout=2) as response:
                if response.status == 200:
                    with urllib.request.urlopen(server.url + "/", timeout=5) as page:
                        if page.status == 200:
                            return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(
        f"{server.name} did not answer in {timeout}s:\n{server.log.read_text()[-4000:]}"
    )
