"""Measurement of NLU pipelines on the held-out test set (issue 10): load, predict, score."""
