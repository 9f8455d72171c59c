"""Pointing a household to people: RGE craftsmen near its commune (ADEME open data) and its
France Rénov' advice desk. Used by `python -m bot craftsmen|advisor` and the Rasa actions."""
