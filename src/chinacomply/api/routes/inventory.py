"""Datasets (what the inventory holds: columns, PI types, classifications) and background scans
that add to it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from pydantic import BaseModel, ConfigDict, Field

from chinacomply.api.errors import ApiError
from chinacomply.api.routes.common import Id, Reader, StoreDep, Writer, errors, not_found, who
from chinacomply.services import scan_jobs, views
from chinacomply.services.options import DEFAULT_SAMPLE, ScanOptions
from chinacomply.taxonomy import taxonomy

router = APIRouter(prefix="/api", tags=["inventory"])


class Column(BaseModel):
    """One column as the scan classified it; `type` is null for a column with no PI."""

    model_config = ConfigDict(extra="allow")
    name: str
    type: str | None
    sensitive: bool
    confidence: float | None = None
    matched: int | None = None
    checked: int | None = None
    categories: list[str] | None = None
    evidence: str | None = None
    free_text: bool | None = None


class Dataset(BaseModel):
    """A table in the inventory: its subject key, distinct individuals, PI types at a glance."""

    model_config = ConfigDict(extra="allow")
    id: int
    name: str
    source: str
    rows: int | None = None
    subject_key: str | None = None
    individuals: int | None = None
    minors: int | None = None
    sensitive: bool
    profile: str | None = None
    scanned_at: str
    pi_types: list[str] = []
    sensitive_columns: list[str] = []
    columns: list[Column] = []


@router.get("/datasets", response_model=list[Dataset], responses=errors())
def datasets(store: StoreDep, _: Reader) -> list[dict[str, Any]]:
    """Every dataset in the inventory with its columns and their classification."""
    return views.datasets(store)


@router.get("/datasets/{dataset_id}", response_model=Dataset, responses=errors(404))
def dataset(dataset_id: Id, store: StoreDep, _: Reader) -> dict[str, Any]:
    """One dataset with its columns (404 not_found if the id is unknown)."""
    found = views.dataset(store, dataset_id)
    if found is None:
        raise not_found("dataset", dataset_id)
    return found


class ScanRequest(BaseModel):
    """What to scan: files or folders on the server, or SQLAlchemy URLs."""

    model_config = ConfigDict(extra="forbid")
    targets: list[str] = Field(
        min_length=1, description="Paths on the server (files, folders) or database URLs"
    )
    sample: int | None = Field(
        default=None,
        ge=1,
        description=f"Rows read per table to classify it (default {DEFAULT_SAMPLE})",
    )
    profile: str | None = Field(
        default=None, description="Sensitivity profile: pipl (default), gb35273"
    )


class ScanJob(BaseModel):
    """A background scan. `rows_read` counts rows of every table so far; `current` is the table
    being read; `datasets` are the ids stored so far; `error` is set when `status` is failed."""

    id: str
    status: str = Field(description="queued | running | done | failed")
    targets: list[str]
    rows_read: int
    current: str | None
    datasets: list[int]
    error: str | None
    submitted_at: str
    finished_at: str | None


class Queued(BaseModel):
    id: str
    status: str


def _exists(target: str) -> bool:
    try:
        return Path(target).exists()
    except (OSError, ValueError):  # a NUL byte, a name too long
        return False


def _jobs(request: Request) -> scan_jobs.ScanJobs:
    jobs: scan_jobs.ScanJobs = request.app.state.scan_jobs
    return jobs


@router.post("/scans", status_code=202, response_model=Queued, responses=errors(400, 403))
def submit_scan(
    scan: Annotated[ScanRequest, Body()], request: Request, token: Writer
) -> dict[str, str]:
    """Queue a scan; poll GET /api/scans/{id}. Local paths must exist (else 400 bad_source);
    a database that cannot be read fails the job with the reason. Jobs are kept in memory:
    a restart forgets them, not the datasets they stored."""
    profile = scan.profile or taxonomy.DEFAULT_PROFILE
    if profile not in taxonomy.profiles():
        known = ", ".join(sorted(taxonomy.profiles()))
        raise ApiError(400, "invalid_profile", f"profile: unknown {profile!r} (known: {known})")
    for target in scan.targets:
        if "://" not in target and not _exists(target):
            raise ApiError(400, "bad_source", f"{target!r}: no such file or directory")
    options = ScanOptions(sample=scan.sample or DEFAULT_SAMPLE, profile=profile)
    job = _jobs(request).submit(scan.targets, options, who(token))
    return {"id": job.id, "status": job.status}


@router.get("/scans/{job_id}", response_model=ScanJob, responses=errors(404))
def scan_status(job_id: str, request: Request, _: Reader) -> dict[str, Any]:
    """A scan's progress and outcome (404 once forgotten, e.g. after a restart)."""
    job = _jobs(request).get(job_id)
    if job is None:
        raise not_found("scan job", job_id)
    return job.to_dict()
