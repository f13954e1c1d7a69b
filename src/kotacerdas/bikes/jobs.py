"""Bike Sharing's background jobs: planning a heavy tour (many candidate destinations) off the web server."""

from __future__ import annotations

from typing import Any

from kotacerdas.bikes.services import tours
from kotacerdas.bikes.store import rows as st
from kotacerdas.core.db import session_scope
from kotacerdas.core.i18n import N_
from kotacerdas.core.jobs import JobContext, job


@job("bikes.tour_plan", title=N_("Tour planning"))
def tour_plan(ctx: JobContext, *, system_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Plan a tour (:func:`kotacerdas.bikes.services.tours.plan`); the result is the plan."""
    ctx.progress(0.1, N_("Planning the tour"), force=True)
    with session_scope(ctx.engine) as session:
        return tours.plan(session, st.get_system(session, system_id), body)
