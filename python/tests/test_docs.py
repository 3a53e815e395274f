"""help() answers: every public class, function, method and property of the package has a
docstring, the native classes say what they are, and the module docstring's example runs."""

from __future__ import annotations

import inspect
import re
import types
from pathlib import Path
from typing import Any, Iterator, Tuple

import pytest

import l610
import l610.pytest_plugin
import l610.testing

# Members inherited from builtins (NamedTuple's count/index, list's append, ...) document
# themselves; only what the package defines is checked.
_INHERITED = set(dir(tuple)) | set(dir(list)) | set(dir(object)) | set(dir(Exception)) \
    | {"_asdict", "_replace", "_make", "_fields", "_field_defaults", "name", "value"}


def _public(obj: Any) -> Iterator[Tuple[str, Any]]:
    for name, member in inspect.getmembers(obj):
        if name.startswith("_") and name not in ("__init__", "_repr_html_"):
            continue
        if name in _INHERITED and name != "_repr_html_":
            continue
        yield name, member


def _undocumented() -> Iterator[str]:
    modules: list[types.ModuleType] = [l610, l610.testing, l610.pytest_plugin]
    for module in modules:
        if not (module.__doc__ or "").strip():
            yield module.__name__
        names = getattr(module, "__all__", None) or [
            n for n, v in vars(module).items()
            if not n.startswith("_") and getattr(v, "__module__", "").startswith("l610")
        ]
        for name in names:
            obj = getattr(module, name)
            if not callable(obj) and not inspect.isclass(obj):
                continue
            if type(obj).__module__ == "typing":
                continue  # a type alias (ServerMode): documented where it is used
            where = f"{module.__name__}.{name}"
            doc = inspect.getdoc(obj) or ""
            if not doc.strip() or doc.startswith(("An enumeration", "Create and return a new")):
                yield where
            if not inspect.isclass(obj):
                continue
            if issubclass(obj, BaseException):
                continue  # exception classes: the class docstring is the documentation
            for mname, member in _public(obj):
                if mname == "__init__":
                    continue
                owner = next((k for k in obj.__mro__ if mname in vars(k)), None)
                if owner is None or not owner.__module__.startswith("l610"):
                    continue  # inherited from the standard library (http.client, NamedTuple)
                raw = inspect.getattr_static(obj, mname, None)
                if isinstance(raw, (int, str, bytes, float, type(None))) or isinstance(member, obj):
                    continue  # a data field or an enum member
                if not (inspect.getdoc(member) or "").strip():
                    yield f"{where}.{mname}"


def _doc_example(doc: str) -> str:
    """The indented example block of a docstring, dedented."""
    lines, started = [], False
    for line in doc.splitlines():
        if line.startswith("    "):
            started = True
            lines.append(line[4:])
        elif started and line.strip():
            break
        elif started:
            lines.append("")
    return "\n".join(lines).strip() + "\n"


def test_every_public_member_has_a_docstring() -> None:
    missing = sorted(set(_undocumented()))
    assert missing == [], f"{len(missing)} undocumented: {missing}"


@pytest.mark.parametrize("cls", [l610.Modem, l610.Socket, l610.Simulator, l610.Faults])
def test_native_classes_say_what_they_are(cls: type) -> None:
    doc = inspect.getdoc(cls) or ""
    assert len(doc) > 100, doc
    assert "Thread safety" in doc or cls is l610.Faults


def test_modem_docs_name_the_at_commands() -> None:
    """What a bring-up engineer looks for in help(l610.Modem)."""
    for method, at in [("set_verify_mode", "AT+GTSSLMODE"), ("ssl_file_counts", "AT+GTSSLFILE?"),
                       ("activate_pdp", "AT+MIPCALL"), ("open_tls", "AT+MIPOPEN"),
                       ("clock", "AT+CCLK?"), ("set_cipher", "AT+GTSSLCIPHER")]:
        assert at in (getattr(l610.Modem, method).__doc__ or ""), method
    assert "Raises" in (l610.Modem.open_tls.__doc__ or "")


def test_help_signatures_are_real() -> None:
    sig = inspect.signature(l610.Modem.open_tls)
    assert list(sig.parameters)[:3] == ["self", "host", "port"]
    assert "transcript_lines" in str(inspect.signature(l610.Modem))


def test_the_module_docstring_example_runs() -> None:
    """help(l610)'s example, run as it is: it failed against a default server (TLS 1.0)."""
    code = _doc_example(l610.__doc__ or "")
    assert "set_profile" in code
    out: list[str] = []
    exec(compile(code, "<l610.__doc__>", "exec"), {"print": lambda *a: out.append(" ".join(map(str, a)))})
    assert out[-1] == "b'hello\\n'", out
    assert re.match(r"uploaded TRUSTFILE #0 \(\d+ bytes\)", out[0]), out
