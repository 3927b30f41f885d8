import os
from pathlib import Path

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def sqlite_file_path(settings_dict) -> Path | None:
    """The file behind a SQLite database, or ``None`` (another engine, in memory)."""
    if not settings_dict.get("ENGINE", "").endswith("sqlite3"):
        return None
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def sqlite_file_create_private(settings_dict) -> None:
    """Create the SQLite file mode 0600 before SQLite does (it would use the umask, often
    0644: readable by every local user), and tighten an existing one (issue 11.8)."""
    path = sqlite_file_path(settings_dict)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)


def _private_sqlite_file(sender, connection, **kwargs) -> None:
    """Whenever a SQLite database is opened, make sure its file is 0600 (SQLite gives its
    journal and WAL files the same mode)."""
    path = sqlite_file_path(connection.settings_dict)
    if path is None:
        return
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError:
        return


class WebConfig(AppConfig):
    name = "comeforward.web"
    label = "web"
    verbose_name = "Runtime: web server and background worker"

    def ready(self):
        from comeforward.ui.forms import install_text_cleaning

        install_text_cleaning()
        connection_created.connect(_private_sqlite_file, dispatch_uid="cf-sqlite-0600")
