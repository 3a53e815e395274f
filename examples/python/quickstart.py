"""Quick start: a verified TLS round trip through an L610.

By default it starts the virtual module and a local TLS server (``l610.testing``: a throwaway
CA and server certificate, Python's ``ssl`` on 127.0.0.1), so it needs no hardware and no
openssl binary. With ``--port /dev/ttyUSB2 --host example.com --tls-port 443 --ca ca.pem`` it
drives a real module instead.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
from typing import Union

import l610
from l610.testing import Pki, TlsServer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", help="serial port of a real module (default: the simulator)")
    ap.add_argument("--baud", type=int, default=115200)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--tls-port", type=int)
    ap.add_argument("--ca", help="trust file (PEM or DER)")
    ap.add_argument("--debug", action="store_true", help="log the AT trace")
    args = ap.parse_args()
    if args.debug:
        logging.basicConfig(level=logging.DEBUG)

    with contextlib.ExitStack() as stack:
        ca: Union[bytes, str]
        if args.port is None:
            pki = Pki.generate()
            server = stack.enter_context(TlsServer(pki, mode="reverse"))
            sim = stack.enter_context(l610.Simulator())
            port, tls_port, ca = sim.port, server.port, pki.ca_pem
        else:
            port, tls_port, ca = args.port, args.tls_port or 443, args.ca
        modem = stack.enter_context(l610.Modem(port, args.baud, transcript_lines=200))

        print("module:", " / ".join(modem.identify()))
        print("IP address:", modem.activate_pdp())
        print("module clock was", modem.clock(), "- now", modem.set_clock_from_host())
        print("profile:", modem.set_profile(l610.TlsProfile(trust_files=[ca])))
        print("files on the module:", modem.ssl_file_counts())

        with modem.open_tls(args.host, tls_port) as tls:
            tls.sendall(b"hello from l610\n")
            tls.settimeout(10)
            reply = tls.makefile("rb").readline()
        print("reply:", reply)
        print("last SSL error:", repr(modem.ssl_error()))
        print("\nstatus:")
        print(modem.status())
        print("\ntranscript:")
        print(modem.transcript_table())


if __name__ == "__main__":
    main()
