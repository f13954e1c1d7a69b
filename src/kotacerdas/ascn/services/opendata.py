"""The open datasets of the registry: public rows of cities, projects, partners, programmes, partnerships,
indicator values and practices, for the CSV, JSON and FIWARE exports."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.ascn.errors import AscnError
from kotacerdas.ascn.formats import exports
from kotacerdas.ascn.store import records
from kotacerdas.ascn.store.tables import AscnCity, AscnPractice
from kotacerdas.core.i18n import N_


def dataset_rows(session: Session, dataset: str) -> list[dict]:
    """The public rows of an open dataset."""
    if dataset == "cities":
        return records.cities(session)
    if dataset == "projects":
        return records.projects(session)
    if dataset == "partners":
        return records.partners(session)
    if dataset == "programmes":
        return records.programmes(session)
    if dataset == "partnerships":
        return records.partnerships(session)
    if dataset == "practices":
        cities = {c.id: c for c in session.scalars(select(AscnCity))}
        return [
            records.practice(p, cities.get(p.city_pk))
            for p in session.scalars(select(AscnPractice).order_by(AscnPractice.id))
        ]
    if dataset == "indicators":
        rows = []
        for pr in records.projects(session):
            for ind in records.indicators(session, pr["id"]):
                for v in ind["values"]:
                    rows.append(
                        {"project_id": pr["id"], "project": pr["title"], "city": pr["city"], "indicator": ind["name"],
                         "unit": ind["unit"], "observed_on": v["observed_on"], "value": v["value"],
                         "source": v["source"], "is_demo": ind["is_demo"]}
                    )  # fmt: skip
        return rows
    raise AscnError(
        N_("{value} is not one of: {choices}"), field="dataset", value=dataset, choices=", ".join(exports.DATASETS)
    )
