"""The example scripts and the notebook run against the virtual module."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "python"
NOTEBOOK = ROOT / "examples" / "notebooks" / "quickstart.ipynb"


def _run(script: str, tmp_path: Path) -> str:
    env = dict(os.environ, L610_EXAMPLE_DIR=str(tmp_path))
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / script)], cwd=EXAMPLES, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_quickstart(tmp_path: Path) -> None:
    out = _run("quickstart.py", tmp_path)
    assert "reply: b'016l morf olleh\\n'" in out
    assert "-> AT+MIPOPEN=" in out
    assert "uploaded TRUSTFILE #0" in out and "PDP context" in out


def test_http_get(tmp_path: Path) -> None:
    out = _run("http_get.py", tmp_path)
    assert out.startswith("200")
    assert "hello from l610.testing" in out


def test_plugin_example_runs_with_the_installed_plugin() -> None:
    """examples/python/test_with_plugin.py needs no conftest: the fixtures come from the
    installed package's pytest11 entry point. The hardware-only test is skipped."""
    env = {k: v for k, v in os.environ.items() if k not in ("L610_TEST_PORT", "L610_TEST_BAUD")}
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
         str(EXAMPLES / "test_with_plugin.py")],
        cwd=EXAMPLES.parent, capture_output=True, text=True, timeout=300, env=env,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "3 passed, 1 skipped" in out.stdout, out.stdout
    assert "needs a real module: pass --l610-port" in out.stdout


def test_plugin_example_with_l610_port() -> None:
    """The same tests with --l610-port, as on hardware: the module is reached only through the
    port given (here the virtual module served over TCP, as ser2net serves a real one); the
    fault-injection test is skipped, the hardware-only test runs, the TLS test reaches the local
    server through --l610-server-host."""
    import l610

    with l610.Simulator() as sim:
        url = sim.listen()
        out = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
             "--l610-port", url, "--l610-server-host", "127.0.0.1",
             str(EXAMPLES / "test_with_plugin.py")],
            cwd=EXAMPLES.parent, capture_output=True, text=True, timeout=300,
        )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "3 passed, 1 skipped" in out.stdout, out.stdout
    assert "not run with --l610-port" in out.stdout


def test_notebook(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    # Run from a folder that is not the repository: the notebook needs no repository file.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3",
        resources={"metadata": {"path": str(elsewhere)}},
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "CERTIFICATE_VALIDATION_FAILED" in text
    assert "koobeton olleh" in text
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    for table in ("L610 status", "profile applied", "SSL files on the module", "direction",
                  "module identity", "enabled cipher suites", "driver counters"):
        assert table in html, table
    assert any("image/png" in o.get("data", {}) for o in outputs), "the plot"
