"""Enums come from the core's tables; the hand-written stub must match them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import l610

STUB = Path(l610.__file__).with_name("__init__.pyi")


def test_version() -> None:
    assert l610.__version__ == "0.1.0"


def test_cipher_suites() -> None:
    assert len(l610.CipherSuite) == 31
    assert [c.value for c in l610.CipherSuite] == list(range(1, 32))
    c = l610.CipherSuite.ECDHE_RSA_WITH_AES_256_GCM_SHA384
    assert c == 5
    assert c.manual_name == "TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384"
    assert c.iana_name == "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
    for spelling in ("5", 5, c.manual_name, c.iana_name, "ecdhe-rsa-with-aes-256-gcm-sha384"):
        assert l610.CipherSuite.lookup(spelling) is c
    with pytest.raises(l610.InvalidArgument):
        l610.CipherSuite.lookup("TLS-NULL-WITH-NULL")
    with pytest.raises(ValueError):
        l610.CipherSuite.lookup(32)


def test_ssl_error_codes() -> None:
    assert [c.value for c in l610.SslErrorCode] == list(range(0, -21, -1))
    for c in l610.SslErrorCode:
        assert c.meaning
    assert l610.SslErrorCode(-11) is l610.SslErrorCode.CERTIFICATE_VALIDATION_FAILED
    assert "certificate" in l610.SslErrorCode(-11).meaning


def test_small_enums() -> None:
    assert int(l610.SslVersion.UNSPECIFIED) == 0 and int(l610.SslVersion.TLS1_2) == 4
    assert [v.name for v in l610.VerifyMode] == ["NONE", "VERIFY"]
    assert [t.name for t in l610.FileType] == ["CERTFILE", "KEYFILE", "TRUSTFILE"]
    assert int(l610.ReceiveFormat.RAW) == 2 and int(l610.ReceiveFormat.HEX) == 0
    assert int(l610.ErrorReporting.VERBOSE) == 2


def _stub_enums() -> dict[str, dict[str, int]]:
    tree = ast.parse(STUB.read_text())
    out: dict[str, dict[str, int]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
            isinstance(b, ast.Attribute) and b.attr == "IntEnum" for b in node.bases
        ):
            members: dict[str, int] = {}
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name):
                    members[item.targets[0].id] = ast.literal_eval(item.value)
            out[node.name] = members
    return out


def test_stub_matches_runtime() -> None:
    stub = _stub_enums()
    assert set(stub) == {
        "CipherSuite", "SslErrorCode", "SslVersion", "VerifyMode", "FileType",
        "ReceiveFormat", "ErrorReporting", "RegistrationStatus", "RegistrationReporting",
    }
    for name, members in stub.items():
        values = {m.name: m.value for m in getattr(l610, name)}
        assert values == members, name
    tree = ast.parse(STUB.read_text())
    stub_names = {n.name for n in tree.body if isinstance(n, ast.ClassDef)} - {"SimState", "_SerialLike"}
    assert stub_names <= set(l610.__all__)
    for cls in ("Modem", "Socket", "Simulator", "Faults"):
        node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
        methods = {f.name for f in node.body if isinstance(f, ast.FunctionDef)}
        runtime = {m for m in dir(getattr(l610, cls)) if not m.startswith("_")}
        assert {m for m in methods if not m.startswith("_")} == runtime, cls
