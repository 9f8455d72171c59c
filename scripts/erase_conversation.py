#!/usr/bin/env python3
"""Efface une conversation (ou les conversations inactives) de la base SQLite de Rasa.

    .venv/bin/python scripts/erase_conversation.py SENDER_ID [--db var/tracker.db]
    .venv/bin/python scripts/erase_conversation.py --purge [--days 30] [--db var/tracker.db]

A shortcut for `python -m channels.privacy erase|purge`, where the code lives."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from channels.privacy import main  # noqa: E402

if __name__ == "__main__":
    args = sys.argv[1:]
    if "--purge" in args:
        args.remove("--purge")
        sys.exit(main(["purge", *args]))
    sys.exit(main(["erase", *args]))
