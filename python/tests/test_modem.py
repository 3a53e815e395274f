"""The typed API against the virtual module, one test per area."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import l610


def test_identify_echo_probe_stats(sim: l610.Simulator, modem: l610.Modem) -> None:
    assert any("L610" in line for line in modem.identify())
    modem.set_echo(False)
    assert sim.state()["echo"] is False
    modem.probe()
    modem.set_echo(True)
    assert sim.state()["echo"] is True
    assert isinstance(modem.operator(), str)
    st = modem.stats()
    assert isinstance(st, l610.Stats) and st.rx_bytes > 0
    assert "closed" not in repr(modem)


def test_raw_command(modem: l610.Modem) -> None:
    assert modem.command("+GTSSLMODE?", expects=["+GTSSLMODE"]) == ["+GTSSLMODE: 0"]
    assert modem.command("") == []
    assert modem.command("I", bare_lines=True, timeout=2.0)


def test_verify_mode_and_version(sim: l610.Simulator, modem: l610.Modem) -> None:
    assert modem.verify_mode() is l610.VerifyMode.NONE
    modem.set_verify_mode(l610.VerifyMode.VERIFY)
    assert modem.verify_mode() is l610.VerifyMode.VERIFY
    assert sim.state()["verify"] == 1
    assert modem.verify_mode_support() == [0, 1]
    modem.set_ssl_version(l610.SslVersion.TLS1_1)
    assert modem.ssl_version() is l610.SslVersion.TLS1_1
    assert l610.SslVersion.TLS1_2 in modem.ssl_version_support()
    modem.set_ssl_version(0)
    assert modem.ssl_version() is l610.SslVersion.UNSPECIFIED
    with pytest.raises(l610.InvalidArgument):
        modem.set_ssl_version(9)


def test_ciphers(sim: l610.Simulator, modem: l610.Modem) -> None:
    assert modem.enabled_ciphers() == []
    modem.set_cipher("TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256")
    assert modem.enabled_ciphers() == [l610.CipherSuite.ECDHE_RSA_WITH_AES_128_GCM_SHA256]
    got = modem.set_enabled_ciphers([5, l610.CipherSuite(1), "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"])
    assert sorted(got) == [1, 4, 5]
    assert sim.state()["ciphers"] == [1, 4, 5]
    modem.set_cipher(5, enabled=False)
    assert sorted(modem.enabled_ciphers()) == [1, 4]
    assert modem.set_enabled_ciphers([]) == []
    ids, cmds = modem.cipher_support()
    assert ids == list(range(1, 32)) and cmds == [0, 1]


def test_files_from_path_and_bytes(sim: l610.Simulator, modem: l610.Modem, pki: Path) -> None:
    assert modem.ssl_file_counts() == (0, 0, 0)
    assert modem.load_trust_file(pki / "ca.pem").trust == 1
    assert modem.load_trust_file(str(pki / "ca.pem")).trust == 2
    # DER bytes are accepted (converted to PEM by the core).
    import base64

    pem = (pki / "ca.pem").read_text()
    der = base64.b64decode("".join(pem.strip().splitlines()[1:-1]))
    assert modem.load_file(l610.FileType.TRUSTFILE, der).trust == 3
    counts = modem.load_cert_file((pki / "client.pem").read_bytes())
    assert counts == l610.FileCounts(cert=1, key=0, trust=3)
    modem.load_key_file(bytearray((pki / "client.key").read_bytes()))
    assert sim.state()["key_files"] == 1
    support = modem.ssl_file_support()
    assert l610.FileType.TRUSTFILE in support.file_types
    with pytest.raises(l610.InvalidArgument):
        modem.load_trust_file(b"not a certificate")
    with pytest.raises(l610.InvalidArgument):
        modem.load_trust_file(pki / "missing.pem")
    # The key never appears in the transcript.
    key_body = (pki / "client.key").read_text().splitlines()[1]
    assert not any(key_body in line for line in modem.transcript())
    assert any("redacted" in line for line in modem.transcript())


def test_ssl_error_forms(modem: l610.Modem) -> None:
    assert modem.ssl_error() is l610.SslErrorCode.NORMAL
    assert modem.ssl_error_exec() is l610.SslErrorCode.NORMAL


def test_pdp(modem: l610.Modem) -> None:
    assert modem.pdp_status() == l610.PdpStatus("inactive", None)
    ip = modem.activate_pdp(apn="internet")
    assert modem.pdp_status() == ("active", ip)
    modem.deactivate_pdp()
    assert modem.pdp_status().state == "inactive"
    assert modem.activate_pdp("apn", "user", "secret")
    with pytest.raises(l610.InvalidArgument):
        modem.activate_pdp("apn", "user")


def test_clock(sim: l610.Simulator, modem: l610.Modem, manual_modem: l610.Modem) -> None:
    # The manual's module boots with an unset clock; the default one is on network time.
    t = manual_modem.clock()
    assert t.year == 2015 and t.utcoffset() == datetime.timedelta(0)
    network = modem.clock()
    assert abs((network - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 5
    when = datetime.datetime(2024, 2, 29, 12, 30, 15, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    modem.set_clock(when)
    assert modem.clock() == when
    assert sim.state()["clock_unix"] == pytest.approx(when.timestamp(), abs=5)
    now = modem.set_clock_from_host()
    assert abs((now - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 5
    with pytest.raises(l610.InvalidArgument):
        modem.set_clock(datetime.datetime(1999, 1, 1))


def test_profile_and_restart(sim: l610.Simulator, modem: l610.Modem, pki: Path) -> None:
    profile = l610.TlsProfile(trust_files=[pki / "ca.pem"], ciphers=["5"])
    assert profile.version is l610.SslVersion.TLS1_2 and profile.verify is l610.VerifyMode.VERIFY
    profile.validate()
    with pytest.raises(l610.InvalidArgument):
        l610.TlsProfile().validate()  # verify on, no trust file
    with pytest.raises(l610.InvalidArgument):
        modem.reapply_profile()
    modem.set_profile(profile, auto_reapply=True)
    st = sim.state()
    assert (st["verify"], st["ssl_version"], st["trust_files"], st["ciphers"]) == (1, 4, 1, [5])
    resets = modem.stats().resets
    sim.power_cycle()
    assert sim.state()["trust_files"] == 0
    _wait_for_reset(modem, resets)
    # The next command re-applies the profile first.
    assert modem.verify_mode() is l610.VerifyMode.VERIFY
    assert sim.state()["trust_files"] == 1
    modem.restart()
    assert modem.stats().resets >= 3
    modem.apply_profile(l610.TlsProfile(verify=l610.VerifyMode.NONE).set_client_identity(
        pki / "client.pem", pki / "client.key"))
    assert sim.state()["cert_files"] == 1
    modem.reapply_profile()


def _wait_for_reset(modem: l610.Modem, before: int) -> None:
    """power_cycle() returns when the module has booted; the driver sees the boot URC a moment
    later (a command sent in between fails with ModuleResetError, as on hardware)."""
    import time

    deadline = time.monotonic() + 5
    while modem.stats().resets == before and time.monotonic() < deadline:
        time.sleep(0.01)


def test_receive_format(sim: l610.Simulator, modem: l610.Modem) -> None:
    assert modem.receive_format() is l610.ReceiveFormat.HEX
    modem.set_receive_format(l610.ReceiveFormat.RAW)
    assert modem.receive_format() is l610.ReceiveFormat.RAW
    assert sim.state()["iprfmt"] == 2
    with pytest.raises(l610.InvalidArgument):
        modem.set_receive_format(3)


def test_urcs(sim: l610.Simulator, modem: l610.Modem) -> None:
    modem.drain_urcs()
    assert modem.next_urc(timeout=0.05) is None
    sim.faults.inject_garbage(b"\r\n+SIM READY\r\n")
    urc = modem.next_urc(timeout=2)
    assert urc is not None and urc.kind == "sim" and urc.text == "READY"
    sim.faults.inject_garbage(b"\r\n+WHATEVER: 1\r\n")
    modem.verify_mode()
    assert [u.kind for u in modem.drain_urcs()] == ["other"]


def test_sockets_ids(online: l610.Modem) -> None:
    assert online.free_socket_ids() == [1, 2, 3, 4, 5, 6]
    assert online.open_socket_ids() == []


def test_in_memory_simulator() -> None:
    with l610.Simulator(in_memory=True, echo=False) as sim:
        assert sim.port is None
        modem = l610.Modem.from_simulator(sim)
        assert modem.verify_mode() is l610.VerifyMode.NONE
        with pytest.raises(l610.Closed):
            l610.Modem.from_simulator(sim)
        modem.close()


def test_simulator_faults_and_state(sim: l610.Simulator, modem: l610.Modem) -> None:
    assert sim.running and "Simulator" in repr(sim)
    st = sim.state()
    assert st["boots"] >= 1 and st["pdp_active"] is False
    sim.faults.set_chunking(3, 0.0005)
    assert modem.verify_mode() is l610.VerifyMode.NONE
    sim.faults.set_chunking(None)
    sim.faults.swallow_next_prompt()
    with pytest.raises(l610.TimeoutError):
        modem.command("+GTSSLFILE=\"TRUSTFILE\",4", payload=b"abcd", timeout=1.0)
    assert modem.verify_mode() is l610.VerifyMode.NONE


def test_line_rate_emulation() -> None:
    with l610.Simulator(baud=9600) as sim, l610.Modem(sim.port or "", 9600) as modem:
        assert modem.identify()
