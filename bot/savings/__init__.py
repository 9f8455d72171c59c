"""Savings estimator: what renovation works would save a household (contract §5).

Entry point: `bot.savings.engine.estimate_savings(profile) -> dict`. The model is explained
in plain French for advisors in `bot/savings/MODEL.md`; every figure it uses lives in
`bot/parameters/savings/*.yaml` with its source.
"""
