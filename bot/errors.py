"""Errors whose message is shown to the user as it is (in French)."""


class ProfileError(ValueError):
    """The household profile is invalid; the message is one French sentence."""
