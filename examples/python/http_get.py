"""``http.client`` over a TLS socket of the module: GET a page, print status and body.

By default against the virtual module and a local HTTPS server (``l610.testing``)."""

from __future__ import annotations

import argparse
import contextlib
from typing import Union

import l610
from l610.testing import Pki, TlsServer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", help="serial port of a real module (default: the simulator)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--tls-port", type=int)
    ap.add_argument("--ca", help="trust file")
    ap.add_argument("--path", default="/index.html")
    args = ap.parse_args()

    with contextlib.ExitStack() as stack:
        ca: Union[bytes, str]
        if args.port is None:
            pki = Pki.generate()
            server = stack.enter_context(TlsServer(pki, mode="http"))
            sim = stack.enter_context(l610.Simulator())
            modem = l610.Modem.from_simulator(sim)
            tls_port, ca = server.port, pki.ca_pem
        else:
            modem = l610.Modem(args.port)
            tls_port, ca = args.tls_port or 443, args.ca
        stack.callback(modem.close)
        modem.activate_pdp()
        modem.set_clock_from_host()
        modem.set_profile(l610.TlsProfile(trust_files=[ca]))
        modem.set_receive_format(l610.ReceiveFormat.RAW)

        conn = l610.HTTPSConnection(modem, args.host, tls_port)
        conn.request("GET", args.path, headers={"Host": args.host})
        resp = conn.getresponse()
        print(resp.status, resp.reason)
        print(resp.read().decode(errors="replace"))
        conn.close()


if __name__ == "__main__":
    main()
