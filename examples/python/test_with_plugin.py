"""Tests written with the l610 pytest plugin (shipped in the wheel, no conftest needed).

    pytest examples/python/test_with_plugin.py                        # the virtual module
    pytest examples/python/test_with_plugin.py --l610-port /dev/ttyUSB2 \\
        --l610-server-host 192.0.2.10                                 # the same on hardware
"""

from __future__ import annotations

import pytest

import l610
from l610.testing import Pki, TlsServer


def test_the_module_answers(l610_modem: l610.Modem) -> None:
    assert l610_modem.command("AT+CSQ")[0].startswith("+CSQ:")
    assert l610_modem.ssl_file_counts().cert in (0, 1)


def test_verified_tls_round_trip(
    l610_modem: l610.Modem, l610_pki: Pki, l610_tls_server: TlsServer, l610_server_host: str
) -> None:
    l610_modem.activate_pdp()
    l610_modem.set_clock_from_host()
    report = l610_modem.set_profile(l610.TlsProfile(trust_files=[l610_pki.ca_pem]))
    assert report.foreign.cert == 0
    with l610_modem.open_tls(l610_server_host, l610_tls_server.port) as tls:
        tls.sendall(b"ping\n")
        tls.settimeout(10)
        assert tls.makefile("rb").readline() == b"ping\n"


def test_a_dropped_answer_times_out_and_the_modem_recovers(
    l610_modem: l610.Modem, l610_faults: l610.Faults
) -> None:
    l610_faults.drop_next_final()
    with pytest.raises(l610.TimeoutError):
        l610_modem.verify_mode()
    assert l610_modem.verify_mode() in (l610.VerifyMode.NONE, l610.VerifyMode.VERIFY)


@pytest.mark.l610_hardware
def test_identity_of_a_real_module(l610_modem: l610.Modem) -> None:
    assert any("L610" in line for line in l610_modem.identify())
