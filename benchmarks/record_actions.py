"""An action server that records every webhook call (the JSON Rasa sends: tracker, domain,
action name) to a JSON-lines file, for `benchmarks/bench_actions.py` to replay in-process.
Usage (then point a Rasa agent at it, e.g. `profile_turn.py --action-url`):
  .venv/bin/python benchmarks/record_actions.py --out calls.jsonl --port 5055
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args()
    from rasa_sdk.endpoint import run  # noqa: PLC0415
    from rasa_sdk.executor import ActionExecutor  # noqa: PLC0415

    original_run = ActionExecutor.run
    out = args.out.open("a", encoding="utf-8")

    async def recording_run(self, action_call):  # noqa: ANN001, ANN202
        out.write(json.dumps(action_call, ensure_ascii=False) + "\n")
        out.flush()
        return await original_run(self, action_call)

    ActionExecutor.run = recording_run  # type: ignore[method-assign]
    run("actions", args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
