"""Background scans for the server: a request submits targets and returns at once; one worker
thread takes jobs from a queue, one at a time, and stores what it finds through the inventory use
case, while clients poll the job for its progress.

Jobs live in memory in the process that took them: a restart loses the jobs (not the datasets
they stored, which are in the database), and with `serve --workers N` a job is only known to the
worker process that accepted it. One worker thread keeps a scan from competing with request
handling for more than one core and keeps the store's writes in submission order.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from chinacomply.inventory import repository
from chinacomply.inventory.store import Store
from chinacomply.services import inventory
from chinacomply.services.options import ScanOptions
from chinacomply.sources.errors import SourceError

STATUSES = ("queued", "running", "done", "failed")
KEEP = 1000  # finished jobs kept for polling; the oldest are forgotten first


@dataclass(frozen=True)
class Job:
    """A snapshot of one scan job (the worker replaces it as the scan moves on)."""

    id: str
    targets: tuple[str, ...]
    who: str
    submitted_at: dt.datetime
    status: str = "queued"
    rows_read: int = 0
    current: str | None = None
    datasets: tuple[int, ...] = ()
    error: str | None = None
    finished_at: dt.datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "targets": list(self.targets),
            "rows_read": self.rows_read,
            "current": self.current,
            "datasets": list(self.datasets),
            "error": self.error,
            "submitted_at": self.submitted_at.isoformat(),
            "finished_at": None if self.finished_at is None else self.finished_at.isoformat(),
        }


@dataclass
class _Work:
    job_id: str
    targets: list[str]
    options: ScanOptions
    who: str


@dataclass
class ScanJobs:
    """The job table and its worker thread (started on the first submission)."""

    store: Store
    _jobs: dict[str, Job] = field(default_factory=dict)
    _queue: queue.Queue[_Work | None] = field(default_factory=queue.Queue)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _worker: threading.Thread | None = None

    def submit(self, targets: list[str], options: ScanOptions, who: str) -> Job:
        """Queue a scan of the targets; the job is returned queued."""
        job = Job(str(uuid.uuid4()), tuple(targets), who, repository.now())
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="scan-jobs", daemon=True)
                self._worker.start()
        self._queue.put(_Work(job.id, list(targets), options, who))
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker after the job it is running (queued jobs are dropped)."""
        self._queue.put(None)
        if self._worker is not None:
            self._worker.join(timeout)

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.finished_at is not None]
        for job in sorted(finished, key=lambda j: j.submitted_at)[: max(0, len(finished) - KEEP)]:
            del self._jobs[job.id]

    def _run(self) -> None:
        while True:
            work = self._queue.get()
            if work is None:
                return
            self._scan(work)

    def _scan(self, work: _Work) -> None:
        self._update(work.job_id, status="running")
        done_rows = 0  # rows of the tables already stored

        def progress(source: str, rows: int) -> None:
            self._update(work.job_id, current=source, rows_read=done_rows + rows)

        found: list[int] = []
        try:
            for dataset_id, report in inventory.add(
                self.store, work.targets, work.options, work.who, progress
            ):
                done_rows += report.rows
                found.append(dataset_id)
                self._update(work.job_id, rows_read=done_rows, datasets=tuple(found))
        except SourceError as err:
            self._finish(work.job_id, "failed", str(err))
        except Exception as err:  # a job must end, whatever the scan raised
            self._finish(work.job_id, "failed", f"{type(err).__name__}: {err}")
        else:
            self._finish(work.job_id, "done", None)

    def _finish(self, job_id: str, status: str, error: str | None) -> None:
        self._update(job_id, status=status, error=error, current=None, finished_at=repository.now())
