"""mypy --strict accepts the code people copy: every Python snippet of the READMEs (the
top-level README's Python section and python/README.md), the docstring example of help(l610),
and a test written with the plugin's fixtures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import l610

ROOT = Path(__file__).resolve().parents[2]
READMES = [ROOT / "README.md", ROOT / "python" / "README.md"]


def _snippets() -> list[tuple[str, str]]:
    found = []
    for readme in READMES:
        for i, block in enumerate(re.findall(r"```python\n(.*?)```", readme.read_text(), re.S)):
            found.append((f"{readme.parent.name}_{readme.stem}_{i}", block))
    from test_docs import _doc_example

    found.append(("help_l610", _doc_example(l610.__doc__ or "")))
    return found


def test_readmes_have_python_snippets() -> None:
    assert len(_snippets()) >= 4


def test_snippets_pass_mypy_strict(tmp_path: Path) -> None:
    files = []
    for name, code in _snippets():
        f = tmp_path / f"snippet_{name}.py"
        f.write_text(code)
        files.append(str(f))
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *files],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_returning_inside_with_is_not_missing_a_return(tmp_path: Path) -> None:
    """`__exit__ -> bool` made mypy report "missing return" for every function returning
    inside a `with Modem(...)`."""
    f = tmp_path / "with_return.py"
    f.write_text(
        "import l610\n\n"
        "def version(port: str) -> l610.SslVersion:\n"
        "    with l610.Simulator() as sim, l610.Modem(sim.port) as modem:\n"
        "        return modem.ssl_version()\n\n"
        "def sock(modem: l610.Modem) -> bytes:\n"
        "    with modem.open_tcp('127.0.0.1', 7) as s:\n"
        "        return s.recv(10)\n"
    )
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(f)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stdout
