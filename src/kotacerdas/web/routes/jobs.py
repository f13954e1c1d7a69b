"""Background jobs: their state, progress and result, visible to the user who started them."""

from fastapi import APIRouter

router = APIRouter(tags=["jobs"])
