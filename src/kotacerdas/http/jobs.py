"""Starting background jobs from a route: hand over the upload, queue the job, answer 202 with its URL."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kotacerdas.core import jobs
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import language
from kotacerdas.http.uploads import Received

API_PREFIX = "/api/v1"


class JobErrorItem(BaseModel):
    """One bad record of the file a job read (a row, a feature)."""

    record: Any = None
    field: str | None = None
    detail: str


class JobError(BaseModel):
    detail: str = Field(description="What went wrong, in the request's language")
    field: str | None = None
    record: Any = None
    errors: list[JobErrorItem] | None = Field(None, description="Each bad record, when the job read a file")


R = TypeVar("R")


class JobOut(BaseModel, Generic[R]):
    """A background job as the user who started it sees it (``JobOut[Result]`` names what it produces)."""

    id: str
    kind: str
    status: str = Field(description="queued, running, done or failed")
    progress: float = Field(description="0 to 1")
    message: str = Field(description="What the job is doing now, in the request's language")
    attempts: int
    max_attempts: int
    result: R | None = Field(None, description="What the job produced, once done")
    error: JobError | None = Field(None, description="Why the job failed")
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    url: str = Field(description="Where to follow the job")


def job_url(job_id: str) -> str:
    return f"{API_PREFIX}/jobs/{job_id}"


def job_out(row_json: dict[str, Any]) -> dict[str, Any]:
    return row_json | {"url": job_url(row_json["id"])}


def start_job(
    request: Request,
    kind: str,
    params: dict[str, Any],
    *,
    principal: Principal | None,
    city_id: int | None,
    upload: Received | None = None,
    job_id: str | None = None,
) -> JSONResponse:
    """Queue job ``kind`` for the signed-in user (its upload moved into the job's folder); 202 + ``Location``."""
    settings = request.app.state.settings
    job_id = job_id or jobs.new_id()
    if upload is not None:
        path = upload.keep(jobs.job_folder(settings, job_id))
        params = params | {"path": str(path), "filename": upload.filename, "sha256": upload.sha256}
    row = jobs.submit(
        request.app.state.engine,
        kind,
        params=params,
        city_id=city_id,
        user_id=principal.user_id if principal else None,
        settings=settings,
        job_id=job_id,
        lang=language(request),
    )
    body = job_out(row)
    return JSONResponse(jsonable_encoder(body), status_code=202, headers={"Location": body["url"]})
