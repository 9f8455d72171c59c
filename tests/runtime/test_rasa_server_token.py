"""The API token reaches Rasa's command line whatever its first character: a random token that
starts with "-" (1 in 64) made `rasa run` refuse to start (seen twice in tests/scaled)."""

from __future__ import annotations

import secrets

from runtime.rasa_server import with_token


def test_any_random_token_is_read_by_rasas_own_parser_as_the_token():
    from rasa.__main__ import create_argument_parser  # noqa: PLC0415

    parser = create_argument_parser()
    tokens = ["-dash-first", "--two-dashes", "a-b_c", *(secrets.token_urlsafe(32)
                                                      for _ in range(20))]
    for token in tokens:
        argv = with_token(["run", "--model", "models/assistant.tar.gz", "--enable-api"], token)
        assert parser.parse_args(argv).auth_token == token
