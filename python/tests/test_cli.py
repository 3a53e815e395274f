"""The ``l610`` console script and ``python -m l610``, as installed by pip: the Rust CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


def _script() -> str:
    # The venv's bin directory holds the console script pip installed.
    found = shutil.which("l610", path=str(Path(sys.executable).parent))
    assert found is not None, "the l610 console script is not installed"
    return found


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "L610_PORT"}
    return subprocess.run(
        [_script(), *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_console_script_runs_the_cli_against_the_virtual_module() -> None:
    done = _run("--sim", "--json", "info")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["tls"]["files"] == {"cert": 0, "key": 0, "trust": 0}
    assert abs(info["clock"]["offset_seconds"]) < 120


def test_console_script_exit_codes() -> None:
    done = _run("info")
    assert done.returncode == 2
    assert "--port" in done.stderr and "--sim" in done.stderr
    assert _run("--sim", "at", "AT+NOSUCHTHING").returncode == 3
    help_ = _run("--help")
    assert help_.returncode == 0 and "diagnose" in help_.stdout


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "l610", "--sim", "at", "AT+GTSSLMODE?"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "+GTSSLMODE: 0\nOK\n"
