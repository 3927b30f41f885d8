"""Progress on stderr with rich: bytes, files, throughput, ETA (docs/interfaces.md §7)."""

from __future__ import annotations

import threading

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from .run import Progress as ProgressSink


class RichProgress(ProgressSink):
    def __init__(self) -> None:
        self._console = Console(stderr=True)
        self._p = Progress(
            TextColumn("[bold]triage"),
            BarColumn(),
            DownloadColumn(binary_units=True),
            TransferSpeedColumn(),
            TextColumn("{task.fields[files]} files"),
            TimeRemainingColumn(),
            console=self._console,
            transient=False,
        )
        self._task = None
        self._files = 0
        self._lock = threading.Lock()

    def start(self, total_bytes: int | None) -> None:
        self._p.start()
        self._task = self._p.add_task("triage", total=total_bytes, files=0)

    def set_total(self, total_bytes: int) -> None:
        with self._lock:
            if self._task is not None:
                self._p.update(self._task, total=total_bytes)

    def advance(self, files: int, nbytes: int) -> None:
        self._files += files
        with self._lock:
            if self._task is not None:
                self._p.update(self._task, advance=nbytes, files=self._files)

    def stop(self) -> None:
        self._p.stop()
