"""Rasa NLU components of this assistant (loaded by module path from the repository root)."""
