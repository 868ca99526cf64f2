"""A real gunicorn with two workers on a loopback port, for tests of what only a real server shows: concurrency,
and a server that goes away and comes back on the same address (a phone losing its connection)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
LISTENING = re.compile(rb"Listening at: http://127\.0\.0\.1:(\d+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`start()` serves the app on the database at `database_url`; `stop()` and `start()` again keep the port."""

    def __init__(self, database_url: str, folder: Path, secret: str = "gunicorn", port: int | None = None):
        self.database_url, self.folder, self.secret = database_url, folder, secret
        self.env: dict[str, str] = {}  # more AUDITAPP_* settings for the next start
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.uploads = folder / "uploads"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Gunicorn":
        log = self.folder / "gunicorn.log"
        env = {**os.environ, "PYTHONPATH": str(REPO), "AUDITAPP_DATABASE_URL": self.database_url,
               "AUDITAPP_SECRET_KEY": self.secret, "AUDITAPP_UPLOAD_DIR": str(self.uploads),
               "AUDITAPP_INSTANCE_PATH": str(self.folder / "instance"), **self.env}
        command = [str(GUNICORN), "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{self.port}",
                   "--no-control-socket", "--chdir", str(REPO), "auditapp:create_app()"]
        with log.open("ab") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"gunicorn did not start:\n{log.read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None
