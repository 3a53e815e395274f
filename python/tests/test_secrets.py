"""Issue #8, defect 12: no key bytes in a repr, no raw-command payload in the trace unless the
caller asks for it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import l610

PAYLOAD = b"S3CRET-PAYLOAD"
UPLOAD = f'+GTSSLFILE="TRUSTFILE",{len(PAYLOAD)}'


def test_profile_repr_shows_counts_and_sizes_never_bytes(pki: Path) -> None:
    ca = (pki / "ca.pem").read_bytes()
    cert = (pki / "client.pem").read_bytes()
    key = (pki / "client.key").read_bytes()
    profile = l610.TlsProfile(trust_files=[ca, ca], ciphers=[5]).set_client_identity(cert, key)
    for text in (repr(profile), str(profile), f"{profile!r}", repr([profile])):
        assert "BEGIN" not in text and "\\n" not in text and "b'" not in text
        for secret in (key, cert, ca):
            for line in secret.decode().splitlines()[1:-1]:
                assert line not in text
        assert "<2 files, " + str(2 * len(ca)) + " bytes>" in text
        assert f"<certificate {len(cert)} bytes, key {len(key)} bytes>" in text
        assert "TLS1_2" in text and "VERIFY" in text
    assert "client_identity=None" in repr(l610.TlsProfile())
    assert "<0 files, 0 bytes>" in repr(l610.TlsProfile())
    assert "<1 file, " in repr(l610.TlsProfile(trust_files=[ca]))
    # Still a dataclass with its fields.
    assert profile == l610.TlsProfile(trust_files=[ca, ca], ciphers=[5]).set_client_identity(cert, key)


def _upload(modem: l610.Modem, redact_payload: bool = False, trace_payload: bool = False) -> list[str]:
    modem.clear_transcript()
    with pytest.raises(l610.AtError):  # not a certificate: the virtual module refuses it
        if redact_payload or trace_payload:
            modem.command(UPLOAD, payload=PAYLOAD, redact_payload=redact_payload,
                          trace_payload=trace_payload)
        else:
            modem.command(UPLOAD, payload=PAYLOAD)  # the defaults
    return modem.transcript()


def test_raw_payload_is_redacted_by_default(modem: l610.Modem, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="l610"):
        lines = _upload(modem)
    logged = [r.getMessage() for r in caplog.records if r.name == "l610"]
    for where in (lines, logged):
        assert not any(PAYLOAD.decode() in line for line in where)
        assert any(f"<{len(PAYLOAD)} bytes redacted>" in line for line in where)
        assert any(UPLOAD in line for line in where)  # the command line itself is shown


def test_raw_payload_traced_only_on_request(modem: l610.Modem) -> None:
    lines = _upload(modem, trace_payload=True)
    assert any(PAYLOAD.decode() in line for line in lines)


def test_redact_payload_also_hides_what_the_module_sends(modem: l610.Modem) -> None:
    lines = _upload(modem, redact_payload=True)
    assert not any(PAYLOAD.decode() in line for line in lines)
    # The echo of the command (a restarted module would echo the key) is redacted too.
    assert not any(line.split("<- ", 1)[-1] == UPLOAD for line in lines if "<- " in line)
    assert any("<- " in line and "redacted" in line for line in lines)


def test_redact_and_trace_payload_contradict(modem: l610.Modem) -> None:
    with pytest.raises(l610.InvalidArgument):
        modem.command(UPLOAD, payload=PAYLOAD, redact_payload=True, trace_payload=True)
    assert modem.verify_mode() is l610.VerifyMode.NONE
