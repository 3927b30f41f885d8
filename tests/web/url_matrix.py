"""Operations URLs, checked in tests/web/test_health.py: anonymous readiness; metrics only
with the bearer token or from loopback. The staff language switch (``language``: anyone,
POST only, it sets a cookie and nothing else), checked in tests/web/test_language.py."""

COVERED = {"readyz", "metrics", "language"}
