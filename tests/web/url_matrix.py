"""Operations URLs, checked in tests/web/test_health.py: anonymous readiness; metrics only
with the bearer token or from loopback."""

COVERED = {"readyz", "metrics"}
