"""Runs every persona of tests/personas/ on real servers and prints the share that end with
the right profile and figures, and the median number of user turns to the aids answer.

Usage: .venv/bin/python scripts/persona_report.py [--only ID_PREFIX] [--show-failures]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from runtime.simulated_user import check_persona, run_persona  # noqa: E402
from runtime.stack import RasaStack  # noqa: E402
from runtime.train import ensure_model  # noqa: E402


def load_personas(prefix: str | None) -> list[dict]:
    personas: list[dict] = []
    for path in sorted((ROOT / "tests" / "personas").glob("*.yml")):
        personas += yaml.safe_load(path.read_text(encoding="utf-8"))
    return [p for p in personas if not prefix or p["id"].startswith(prefix)]


def markdown_transcript(persona: dict, run, problems: list[str]) -> str:
    """One conversation as Markdown: the persona's facts, each message and reply."""
    lines = [f"## {persona['id']}", "", "Profil réel (faits de la persona) :", "",
             "```json", json.dumps(persona["facts"], ensure_ascii=False), "```", ""]
    for message, reply in run.log:
        lines.append(f"**Utilisateur** : {message}")
        lines.append("")
        for line in reply.splitlines() or [""]:
            lines.append(f"> {line}")
        lines.append("")
    lines.append(f"Tours utilisateur jusqu'à la réponse : {run.turns_to_answer} ; "
                 f"vérification : {'juste' if not problems else '; '.join(problems)}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", help="run only the personas whose id starts with this")
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--model", help="a trained model (default: train if needed)")
    parser.add_argument("--transcript", help="write the conversations to this Markdown file")
    args = parser.parse_args()
    personas = load_personas(args.only)
    model = Path(args.model) if args.model else ensure_model()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as workdir, \
            RasaStack(model=model, workdir=Path(workdir)) as stack:
        headers = getattr(stack, "api_headers", None)
        headers = headers() if callable(headers) else headers
        ready = time.monotonic()
        passed, direct_turns, all_turns = 0, [], []
        transcripts: list[str] = []
        for persona in personas:
            run = run_persona(stack.base_url, f"report-{uuid.uuid4().hex[:8]}", persona,
                              headers=headers, token=stack.token)
            problems = check_persona(run)
            passed += not problems
            if run.turns_to_answer is not None:
                all_turns.append(run.turns_to_answer)
                if persona.get("direct"):
                    direct_turns.append(run.turns_to_answer)
            status = "ok " if not problems else "KO "
            print(f"{status} {persona['id']:<45} tours={run.turns_to_answer} "
                  f"{'; '.join(problems)[:160]}")
            if problems and args.show_failures:
                print(run.transcript())
            transcripts.append(markdown_transcript(persona, run, problems))
        elapsed = time.monotonic() - ready
    if args.transcript:
        Path(args.transcript).parent.mkdir(parents=True, exist_ok=True)
        Path(args.transcript).write_text("\n\n".join(transcripts) + "\n", encoding="utf-8")
    print(f"\nPersonas justes (profil et montants) : {passed}/{len(personas)} "
          f"= {100 * passed / max(len(personas), 1):.0f} %")
    if direct_turns:
        print(f"Tours utilisateur jusqu'à la réponse (réponses directes) : médiane "
              f"{statistics.median(direct_turns):g} (min {min(direct_turns)}, "
              f"max {max(direct_turns)}, {len(direct_turns)} personas)")
    if all_turns:
        print(f"Tours utilisateur, toutes personas : médiane {statistics.median(all_turns):g}")
    print(f"Durée : {elapsed:.0f} s de conversations ({time.monotonic() - started:.0f} s "
          f"avec le démarrage des serveurs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
