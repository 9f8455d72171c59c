"""Custom actions of the Rasa assistant (run by `rasa run actions --actions actions`).

The action server imports every module of this package and registers its Action classes.
"""
