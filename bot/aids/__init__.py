"""Aids engine behind `python -m bot aids`: which renovation aids a household can get.

Entry point: `bot.aids.engine.compute_aids(profile) -> dict` (contract §4). Every figure
comes from the dated parameter files under `bot/parameters/aids/`.
"""
