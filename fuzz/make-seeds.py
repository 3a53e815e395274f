#!/usr/bin/env python3
"""Write the seed corpus fuzz/corpus/<target>/ from the transcripts below: the manual's examples
(docs/l610-ssl-manual.txt, section 2) as the module puts them on the wire, hostile inputs, and the
appendix's certificate. Run it after changing a target's input type; the files are committed.

The targets decode their input with `arbitrary`; each has a literal mode whose encoding is fixed
here: an enum tag (u32, little endian; variant k of n is chosen by (tag * n) >> 32), the scalar
fields, then the rest of the input as it is. `cargo +nightly fuzz fmt <target> <file>` shows how a
file decodes.
"""
import hashlib
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent
TARGETS = ("framing", "urc", "params", "commands", "session")

# Variant 1 of 2 (Transcript) and variant 0 of n (Line, Text).
SECOND_OF_TWO = struct.pack("<I", 0x8000_0000)
FIRST = struct.pack("<I", 0)


def crlf(*lines):
    return b"".join(b"\r\n" + l + b"\r\n" for l in lines)


def echo(cmd):
    return cmd + b"\r"


MANUAL_HEX = (
    b"350A576564204A616E2032312031353A35383A3034204D534B20323031350A576564204A"
    b"616E2032312031353A35383A3035204D534B20323031350A"
)

TRANSCRIPTS = {
    # Example 1: no verification; open, close.
    "example1": crlf(b"+MIPCALL: 10.79.220.142")
    + echo(b'at+mipopen=1,,"www.baidu.com",443,2') + crlf(b"OK") + crlf(b"+MIPOPEN: 1,1")
    + echo(b"at+mipclose=1") + crlf(b"OK") + crlf(b"+MIPCLOSE: 1,1"),
    # Example 2: verification without a trust file: the open fails, -11.
    "example2": echo(b"at+gtsslmode=1") + crlf(b"OK")
    + echo(b"at+gtsslmode?") + crlf(b"+GTSSLMODE: 1") + crlf(b"OK")
    + echo(b'at+mipopen=1,,"www.baidu.com",443,2') + crlf(b"OK") + crlf(b"+MIPOPEN: 1,0")
    + echo(b"AT+GTSSLERR?") + crlf(b"+GTSSLERR: -11") + crlf(b"OK")
    + echo(b"at+gtsslfile?")
    + crlf(b"+GTSSLFILE: CERTFILE,0", b"+GTSSLFILE: KEYFILE,0", b"+GTSSLFILE: TRUSTFILE,0")
    + crlf(b"OK"),
    # Example 3: a trust file upload after the prompt, then a clock that fails verification.
    "example3": echo(b"at+gtsslmode=1") + crlf(b"OK")
    + echo(b'AT+GTSSLFILE="TRUSTFILE",850') + b"\r\n> " + crlf(b"OK")
    + echo(b"at+gtsslfile?")
    + crlf(b"+GTSSLFILE: CERTFILE,0", b"+GTSSLFILE: KEYFILE,0", b"+GTSSLFILE: TRUSTFILE,1")
    + crlf(b"OK")
    + echo(b'at+mipopen=1,,"114.255.225.39",20444,2') + crlf(b"OK") + crlf(b"+MIPOPEN: 1,0")
    + echo(b"AT+GTSSLERR?") + crlf(b"+GTSSLERR: -11") + crlf(b"OK"),
    # Example 4: the clock set, the connection succeeds.
    "example4": echo(b'AT+CCLK="15/01/23,15:30:36"') + crlf(b"OK")
    + echo(b'at+mipopen=1,,"114.255.225.39",20444,2') + crlf(b"OK") + crlf(b"+MIPOPEN: 1,1")
    + echo(b"AT+MIPCLOSE=1") + crlf(b"OK") + crlf(b"+MIPCLOSE: 1,1"),
    # Example 5: client certificate and key, no server check, hex data (IPRFMT 0).
    "example5": echo(b"AT+GTSSLMODE?") + crlf(b"+GTSSLMODE: 0") + crlf(b"OK")
    + echo(b"AT+GTSSLFILE?")
    + crlf(b"+GTSSLFILE: CERTFILE,0", b"+GTSSLFILE: KEYFILE,0", b"+GTSSLFILE: TRUSTFILE,0")
    + crlf(b"OK")
    + echo(b'AT+GTSSLFILE=" CERTFILE",1334') + b"\r\n> " + crlf(b"OK")
    + echo(b'AT+GTSSLFILE="KEYFILE",1675') + b"\r\n> " + crlf(b"OK")
    + echo(b'AT+MIPOPEN=1,,"188.93.19.231",5555,2') + crlf(b"OK") + crlf(b"+MIPOPEN: 1,1")
    + crlf(b"+MIPRTCP: 1,201," + MANUAL_HEX)
    + crlf(b"+MIPRTCP: 1,201,2032312031353A35383A3531204D534B20323031350A576564204A61"),
    # Example 6: one cipher suite left.
    "example6": echo(b"AT+COPS?") + crlf(b'+COPS: 0,0,"CHINA MOBILE",7') + crlf(b"OK")
    + echo(b'AT+MIPCALL=1,"CMNET"') + crlf(b"OK") + crlf(b"+MIPCALL: 10.109.197.168")
    + echo(b"AT+GTSSLCIPHER?") + crlf(b"+GTSSLCIPHER: 1,2,3,4,5,6") + crlf(b"OK")
    + b"".join(echo(b"AT+GTSSLCIPHER=%d,0" % i) + crlf(b"OK") for i in (1, 2, 3, 4, 6))
    + echo(b"AT+GTSSLCIPHER?") + crlf(b"+GTSSLCIPHER: 5") + crlf(b"OK"),
    # Raw receive format (IPRFMT 2): binary data with CR LF and commas inside.
    "raw-data": echo(b'AT+GTSET="IPRFMT",2') + crlf(b"OK")
    + b"\r\n+MIPRTCP: 1,6,a\r\nb,\r\r\n"
    + b"\r\n+MIPRTCP: 2,5,hello\r\n" + crlf(b"+MIPSTAT: 1,2") + crlf(b"+MIPCLOSE: 1,0"),
    # A send: echo, prompt, the data, OK, an ACK indication.
    "send": echo(b"AT+MIPSEND=1,5") + b"\r\n> " + crlf(b"OK") + crlf(b"+MIPSTAT: 1,0,5"),
    # Failures: ERROR, CME codes numeric and verbose, a prompt without space.
    "errors": echo(b"AT+GTSSLVER=9") + crlf(b"ERROR")
    + echo(b"AT+GTSSLMODE=7") + crlf(b"+CME ERROR: 3")
    + echo(b"AT+GTSSLCIPHER=99,1") + crlf(b"+CME ERROR: operation not allowed")
    + echo(b"AT+MIPSEND=1,3") + b">" + crlf(b"OK"),
    # Echo off: answers without echoes.
    "echo-off": echo(b"ATE0") + crlf(b"OK") + crlf(b"+GTSSLMODE: 1") + crlf(b"OK")
    + crlf(b"Fibocom", b"L610") + crlf(b"OK"),
    # The module restarts in the middle of a command and of a payload.
    "restart": echo(b"AT+GTSSLMODE?") + crlf(b"AT command ready") + crlf(b"+SIM READY")
    + echo(b'AT+GTSET="IPRFMT",2') + crlf(b"OK")
    + b"\r\n+MIPRTCP: 1,40,abc\r\nAT command ready\r\n\r\n+SIM READY\r\n\r\nXXXXOK\r\n" + crlf(b"RDY"),
    # Hostile lengths in raw headers: 2^40, u64::MAX, 2^31, beyond u64.
    "hostile-lengths": echo(b'AT+GTSET="IPRFMT",2') + crlf(b"OK")
    + b"\r\n+MIPRTCP: 1,1099511627776,xyz\r\n" + crlf(b"OK")
    + b"\r\n+MIPRTCP: 1,18446744073709551615,xyz\r\n"
    + b"\r\n+MIPRTCP: 1,2147483648,\r\n"
    + b"\r\n+MIPRTCP: 1,99999999999999999999999,\r\n"
    + b"\r\n+MIPRTCP: 1,1099511627776,",
    # Late answers: a stray OK, an over-long line, garbage bytes.
    "garbage": crlf(b"OK") + crlf(b"+GTSSLMODE: " + b"7" * 300) + b"\x00\xff\x1b\r\n>\r\n"
    + echo(b"AT+GTSSLMODE?") + crlf(b"+GTSSLMODE: 1") + crlf(b"+GTSSLMODE: 2") + crlf(b"OK"),
}

# Framing: the same bytes in hex format, in raw format, whole and byte by byte.
RAW = {"raw-data", "restart", "hostile-lengths"}

URC_LINES = [
    b"+MIPOPEN: 1,1", b"+MIPOPEN 1.0", b"+MIPOPEN: 1,0", b"+MIPOPEN: 300,1",
    b"+MIPCLOSE: 1,1", b"+MIPCLOSE: 2", b"+MIPCLOSED: 2,3", b"+MIPSTAT: 1,2", b"+MIPSTAT: 1,0,1460",
    b"+MIPCALL: 10.109.197.168", b"+MIPCALL: 0", b"+MIPRTCP: 1,201," + MANUAL_HEX,
    b"+MIPRTCP: 1,2,XYZ", b"+MIPRTCP: 1,1099511627776,", b"AT command ready", b"RDY",
    b"+SIM READY", b"+SIM DROP", b"+GTSSLERR: -11", b"+CME ERROR: 3",
]

PARAM_TEXTS = [
    b"(0-1)", b"(0,1)", b"(1-31)", b"(0-2,5)", b"(-20-0)", b"(0-400000000)",
    b"(-9223372036854775808-9223372036854775807)", b"(\xc3\xa9,1)", b'1,"a,b",(1-3),(0,1)',
    b'" CERTFILE",1334', b'0,0,"CHINA MOBILE",7', b'"15/01/23,15:30:36"', b"26/11/24,10:00:00+32",
    b"24/02/29,23:59:59-20", b"15/02/30,00:00:00", b"99/12/31,23:59:59+56", b"00/01/01,00:00:00-48",
    b"1,201,350A57", b"CERTFILE,1",
]


ANSWERS = [
    b"+GTSSLMODE: 1", b"+GTSSLMODE: (0,1)", b"+GTSSLVER: 3", b"+GTSSLVER: (0-4)",
    b"+GTSSLFILE: CERTFILE,0\n+GTSSLFILE: KEYFILE,0\n+GTSSLFILE: TRUSTFILE,1",
    b'+GTSSLFILE: " CERTFILE",1\n+GTSSLFILE: KEYFILE,1\n+GTSSLFILE: TRUSTFILE,40',
    b"+GTSSLCIPHER: 1,2,3,4,5,6", b"+GTSSLCIPHER: 5", b"+GTSSLCIPHER: (1-31),(0,1)",
    b"+GTSSLERR: -11", b'+COPS: 0,0,"CHINA MOBILE",7', b'+CCLK: "15/01/23,15:30:36+00"',
    b"+MIPCALL: 1,10.109.197.168", b"+MIPCALL: 0", b"+MIPOPEN: 1,2,3", b"+MIPCLOSE: 1,3",
    b"Fibocom\nL610\nRevision: 16000.1000.00.97.20.10",
]

MANUAL = next(
    (p for p in (HERE.parent / "docs" / "l610-ssl-manual.txt",
                 HERE.parent.parent / "shared" / "spec" / "l610-ssl-manual.txt") if p.exists()),
    HERE.parent / "docs" / "l610-ssl-manual.txt",
)


def appendix_pem():
    """The appendix's CA certificate, as the manual prints it (its base64 is not clean)."""
    t = MANUAL.read_text(errors="replace")
    b64 = "".join(t[t.index("MIIEUjCC"):t.index("----END CERTIFICATE----")].split()).encode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return b"-----BEGIN CERTIFICATE-----\n" + b"\n".join(lines) + b"\n-----END CERTIFICATE-----\n"


def write(target, name, data):
    d = HERE / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def main():
    for target in TARGETS:
        d = HERE / "corpus" / target
        if d.exists():
            for f in d.iterdir():
                f.unlink()
    for name, t in TRANSCRIPTS.items():
        raw = b"\x01" if name in RAW else b"\x00"
        for piece in (0, 1, 7):
            write("framing", f"{name}-{piece}", SECOND_OF_TWO + raw + bytes([piece]) + t)
        write("session", f"{name}-lines", SECOND_OF_TWO + b"\x01\x00" + t)
        write("session", f"{name}-split3", SECOND_OF_TWO + b"\x00\x03" + t)
    for line in URC_LINES:
        write("urc", hashlib.sha1(line).hexdigest()[:12], FIRST + line)
    for text in PARAM_TEXTS:
        write("params", hashlib.sha1(text).hexdigest()[:12], FIRST + text)
    for text in ANSWERS:
        write("commands", "answer-" + hashlib.sha1(text).hexdigest()[:12], FIRST + text)
    # File: variant 1 of 3; kind 2 = TRUSTFILE, 1 = KEYFILE.
    file_tag = struct.pack("<I", 0x5555_5556)
    pem = appendix_pem()
    write("commands", "file-trust-pem", file_tag + b"\x02" + pem)
    write("commands", "file-key-pem", file_tag + b"\x01"
          + b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n")
    write("commands", "file-der", file_tag + b"\x00" + bytes.fromhex("3082010a0282010100") + bytes(300))
    n = sum(len(list((HERE / "corpus" / t).iterdir())) for t in TARGETS)
    print(f"make-seeds: {n} seed files under {HERE / 'corpus'}")


if __name__ == "__main__":
    main()
