"""`python -m bot aids|savings|craftsmen|advisor`: profile in, JSON result out (contract §1).

Exit 0 on success; 2 with one French line on stderr for an invalid profile. Never a
traceback for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.errors import ProfileError
from bot.profile import Profile, parse_profile

MAX_PROFILE_BYTES = 1_000_000

# command -> "module:function"; each function takes a Profile and returns the JSON dict.
# Imported lazily so that one command does not pay for another's start-up.
COMMANDS = {
    "aids": ("bot.aids.engine:compute_aids", "les aides possibles (JSON, contrat §4)"),
    "savings": ("bot.savings.engine:estimate_savings", "les économies des travaux (JSON, §5)"),
    "craftsmen": ("bot.directory.craftsmen:find_craftsmen", "les artisans RGE proches (JSON, §6)"),
    "advisor": ("bot.directory.advisor:find_advisor", "l'Espace Conseil France Rénov' (JSON, §6)"),
}


class FrenchArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like a bad profile
        sys.stderr.write(f"Erreur : arguments invalides ({message}). Voir --help.\n")
        raise SystemExit(2)


def _load_command(name: str) -> Callable[[Profile], dict[str, Any]]:
    module_name, function_name = COMMANDS[name][0].split(":")
    return getattr(importlib.import_module(module_name), function_name)


def read_profile_text(profile_path: str | None, stdin=None) -> str:
    if profile_path:
        path = Path(profile_path)
        if not path.is_file():
            raise ProfileError(f"Le fichier de profil « {profile_path} » est introuvable.")
        if path.stat().st_size > MAX_PROFILE_BYTES:
            raise ProfileError("Le profil dépasse 1 Mo : ce n'est pas un profil de ménage.")
        raw = path.read_bytes()
    else:
        stream = stdin if stdin is not None else sys.stdin.buffer
        raw = stream.read(MAX_PROFILE_BYTES + 1)
        if len(raw) > MAX_PROFILE_BYTES:
            raise ProfileError("Le profil dépasse 1 Mo : ce n'est pas un profil de ménage.")
    if isinstance(raw, bytes):
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ProfileError("Le profil doit être du texte UTF-8.") from None
    return raw


def decode_profile(text: str) -> Profile:
    if not text.strip():
        raise ProfileError("Le profil est vide : donnez un objet JSON sur l'entrée standard "
                           "ou avec --profile FICHIER.")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        message = getattr(error, "msg", "imbrication trop profonde")
        raise ProfileError(f"Le profil n'est pas du JSON valide ({message}).") from None
    return parse_profile(data)


def run_command(name: str, profile: Profile) -> dict[str, Any]:
    """Runs one command on a validated profile (also used by the Rasa actions).

    The commune is checked first, whatever the command: a code that matches no commune is
    an invalid profile. When a postal code covers several communes, the result names them.
    """
    from bot.geo import locate

    location = locate(profile)
    result = _load_command(name)(profile)
    if location is not None and len(location.communes) > 1 and "communes" not in result:
        result["communes"] = [
            {"insee_code": commune.insee_code, "name": commune.name}
            for commune in location.communes
        ]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = FrenchArgumentParser(
        prog="python -m bot",
        description="Assistant rénovation énergétique : calculs à partir d'un profil de ménage "
                    "(JSON sur l'entrée standard ou --profile FICHIER).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE",
                                parser_class=FrenchArgumentParser)
    for name, (_, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--profile", metavar="FICHIER", help="profil JSON (sinon stdin)")
        command.add_argument("--indent", type=int, default=2, help="indentation du JSON")
    args = parser.parse_args(argv)
    try:
        profile = decode_profile(read_profile_text(args.profile))
        result = run_command(args.command, profile)
    except ProfileError as error:
        sys.stderr.write(f"Erreur : {error}\n")
        return 2
    try:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=args.indent or None)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error of ours
        sys.stderr.close()
    return 0
