"""`python -m runtime.rasa_server run …`: Rasa's own command line, with the HTTP API token
taken from the environment (RASA_AUTH_TOKEN) rather than from the command line.

Why: a token given as `--auth-token` would be readable by every local user in the process
list (/proc/PID/cmdline). Here it is added to `sys.argv` inside the process only.
"""

from __future__ import annotations

import os
import sys

TOKEN_VARIABLE = "RASA_AUTH_TOKEN"


def with_token(argv: list[str], token: str) -> list[str]:
    """`--auth-token=TOKEN` in one word: a random token starting with "-" (1 in 64 of
    secrets.token_urlsafe) given as a separate word is read by argparse as an option, and
    Rasa refused to start ("expected one argument")."""
    return [*argv, f"--auth-token={token}"]


def main() -> None:
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    argv = sys.argv[1:]
    if token and argv[:1] == ["run"] and "--auth-token" not in argv:
        argv = with_token(argv, token)
    sys.argv = ["rasa", *argv]
    # skops (which loads the intent classifier) lists numpy's and scipy's ufuncs at import by
    # searching every loaded module for each one: imported after Rasa and TensorFlow (~3,000
    # modules) that took 5.7-9 s of the start, imported first 1.7 s (docs/performance.md).
    import skops.io  # noqa: F401, PLC0415
    from rasa.__main__ import main as rasa_main  # noqa: PLC0415 (heavy: only when run)

    from runtime import fast_model_load, rasa_patches  # noqa: PLC0415

    rasa_patches.apply()
    fast_model_load.apply()  # the ResponseSelector's load without a traced training step
    rasa_main()


if __name__ == "__main__":
    main()
