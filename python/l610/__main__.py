"""``python -m l610`` and the ``l610`` console script: the command-line tool (``l610 --help``).

The tool is the Rust CLI (crate ``l610-cli``), the same as ``cargo install``'s; this only hands
it the arguments.
"""

from __future__ import annotations

import signal
import sys

from . import _l610


def main() -> None:
    """Run ``l610`` with ``sys.argv`` and exit with its code."""
    # The CLI runs detached from the interpreter, which would only note a Ctrl-C; with the
    # default action it ends the command as it ends the native binary.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(_l610.cli_main(["l610", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
