"""Database settings: ``DATABASE_URL`` parsing and SQLite for concurrent use."""

from __future__ import annotations


def sqlite_database(name) -> dict:
    """SQLite set up for a web server and a worker at once (issue 20.1).

    WAL lets readers go on while one writer writes; ``IMMEDIATE`` takes the write lock at the
    start of each transaction, so two writers queue on the busy timeout instead of one failing
    with "database is locked" when it upgrades a read lock mid-transaction; the busy timeout
    (seconds) is how long a writer waits for the lock.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def database_from_url(url: str) -> dict:
    """``DATABASE_URL`` parsed by dj-database-url (``sslmode`` and the other query parameters
    kept as connection options, ``%40`` and friends decoded); SQLite URLs get the settings
    above. Connections are reused for a minute and health-checked before reuse."""
    import dj_database_url

    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return sqlite_database(config["NAME"])
    return config
