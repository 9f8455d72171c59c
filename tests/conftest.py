"""Test-wide settings: hypothesis runs without per-example deadlines (a loaded 2-core
machine must not turn a slow example into a failure; speed is measured by benchmarks)."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "project", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("project")
