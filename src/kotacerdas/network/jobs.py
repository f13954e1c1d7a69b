"""Job kinds of the road network: importing an OpenStreetMap extract in the background."""

from __future__ import annotations

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.core.i18n import N_
from kotacerdas.core.jobs import JobContext, job
from kotacerdas.network.graphs import store_routers
from kotacerdas.network.store import import_network


@job("network.import", title=N_("Road network import"))
def network_import(
    ctx: JobContext,
    *,
    city: str,
    path: str,
    filename: str,
    sha256: str = "",
    bbox: list[float] | None = None,
    force: bool = False,
) -> dict:
    """Import (or update) a city's road network from the extract at ``path``; audited."""
    ctx.progress(0.05, N_("Reading the OpenStreetMap extract"), force=True)
    box = (bbox[0], bbox[1], bbox[2], bbox[3]) if bbox else None
    with session_scope(ctx.engine, write=True) as session:
        target = accounts.get_city(session, city)
        result = import_network(session, target, path, bbox=box, user_id=ctx.user_id, filename=filename, force=force)
        if not result.already_imported:
            ctx.progress(0.7, N_("Preparing the bicycle routing graphs"))
            store_routers(session, target.id)
            accounts.audit(
                session,
                target.id,
                ctx.user_id,
                "roads.network.import",
                filename,
                created=result.created,
                updated=result.updated,
                retired=result.retired,
            )
        return result.as_dict()
