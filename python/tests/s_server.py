"""A throwaway PKI (made with the openssl binary) and an ``openssl s_server`` on 127.0.0.1: the
suite's TLS peer that we did not write. (The examples and the pytest plugin use l610.testing.)"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import List, Optional, Type


def _openssl(cwd: Path, *args: str) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_pki(directory: Path) -> Path:
    """CA (ca.pem), server (server.pem/server.key) and client (client.pem/client.key)."""
    if (directory / "client.pem").exists():
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl(directory, "req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem",
             "-days", "30", "-subj", "/CN=l610 test CA")
    for name, cn in (("server", "localhost"), ("client", "module")):
        _openssl(directory, "req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr",
                 "-subj", f"/CN={cn}")
        _openssl(directory, "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem",
                 "-CAkey", "ca.key", "-CAcreateserial", "-out", f"{name}.pem", "-days", "30")
    return directory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TlsServer:
    """``openssl s_server`` serving files from ``directory`` (``-WWW``) or reversing lines
    (``mode="rev"``); killed on ``stop()``/exit."""

    def __init__(self, directory: Path, mode: str = "WWW", extra: Optional[List[str]] = None):
        self.directory = make_pki(directory)
        self.port = free_port()
        (self.directory / "index.html").write_text("<html>hello from s_server</html>\n")
        args = ["openssl", "s_server", "-accept", f"127.0.0.1:{self.port}",
                "-cert", "server.pem", "-key", "server.key", f"-{mode}", *(extra or [])]
        self.proc = subprocess.Popen(args, cwd=self.directory, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("openssl s_server did not start")
                time.sleep(0.05)

    @property
    def ca(self) -> Path:
        return self.directory / "ca.pem"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def __enter__(self) -> "TlsServer":
        return self

    def __exit__(self, t: Optional[Type[BaseException]], v: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.stop()


def default_dir() -> Path:
    return Path(os.environ.get("L610_EXAMPLE_DIR") or tempfile.mkdtemp(prefix="l610-example-"))
