"""Domain core of the renovation assistant: importable without Rasa."""
