"""What the city administration screen calls the records it lists: audit actions, imported files' kinds and results.

Every action a part of the platform writes to the audit log (``accounts.audit``) has a label here,
in English with its Bahasa Indonesia translation; ``tests/web/test_admin.py`` reads the code for
every action written and fails when one has none. A code without a label (a record written by an
older version) is shown as it is, never hidden. The results of an imported file (``ImportBatch.summary``)
are written in the page's language: counts with thousands separators, lengths in kilometres.
"""

from __future__ import annotations

from typing import Any

from kotacerdas.core import formats
from kotacerdas.core.i18n import N_, gettext

#: Every action of the audit log, by its code.
AUDIT_ACTIONS: dict[str, str] = {
    # the platform
    "user.create": N_("User added"),
    "users.create": N_("User added on the command line"),
    "users.set_password": N_("Password changed on the command line"),
    "users.tokens.revoke": N_("Tokens revoked on the command line"),
    "cities.create": N_("City created on the command line"),
    "user.role.grant": N_("Role given"),
    "user.role.revoke": N_("Role taken away"),
    "admin_areas.import": N_("Admin areas imported"),
    # Road Manager and the road network
    "roads.network.import": N_("Road network imported"),
    "roads.survey.import": N_("Survey imported"),
    "roads.survey.reprocess": N_("Survey processed again"),
    "roads.survey.delete": N_("Survey deleted"),
    "roads.vehicle.create": N_("Vehicle registered"),
    "roads.vehicle.calibrate": N_("Vehicle calibrated"),
    "roads.vehicle.camera": N_("Vehicle camera mount set"),
    "roads.capture.import": N_("Camera drive imported"),
    "roads.capture.replace": N_("Camera drive imported again in place of the earlier one"),
    "roads.damage.status": N_("Road damage status changed"),
    "roads.segment.distress": N_("Segment distress measured"),
    # Bike Sharing
    "bikes.system.create": N_("Bike-share system created"),
    "bikes.system.update": N_("Bike-share system changed"),
    "bikes.station.create": N_("Station created"),
    "bikes.station.save": N_("Station changed"),
    "bikes.station.delete": N_("Station removed"),
    "bikes.stations.import": N_("Stations imported"),
    "bikes.station.undo": N_("Station change undone"),
    "bikes.bike.create": N_("Bike put into service"),
    "bikes.bike.update": N_("Bike changed"),
    "bikes.task.create": N_("Task opened"),
    "bikes.task.update": N_("Task updated"),
    "bikes.plan.save": N_("Pricing plan saved"),
    "bikes.alert.save": N_("Service alert saved"),
    "bikes.alert.delete": N_("Service alert removed"),
    "bikes.trips.import": N_("Trips imported"),
    "bikes.destination.save": N_("Destination saved"),
    "bikes.destination.retire": N_("Destination retired"),
    "bikes.destinations.import": N_("Destinations imported"),
    "bikes.route.save": N_("Curated route saved"),
    "bikes.route.delete": N_("Curated route removed"),
    # lorong
    "lorong.import": N_("Lorong sheet imported"),
    "lorong.programme.create": N_("Programme created"),
    "lorong.programme.update": N_("Programme changed"),
    "lorong.theme.save": N_("Programme theme saved"),
    "lorong.indicator.save": N_("Indicator saved"),
    "lorong.unit.create": N_("Lorong added"),
    "lorong.unit.update": N_("Lorong changed"),
    "lorong.activity.save": N_("Activity saved"),
    "lorong.photo.add": N_("Photo added"),
    "lorong.officer.assign": N_("Officer assigned"),
    "lorong.officer.remove": N_("Officer removed"),
    "lorong.report.save": N_("Report saved"),
    "lorong.report.submit": N_("Report submitted"),
    "lorong.report.verify": N_("Report verified"),
    "lorong.report.return": N_("Report returned for correction"),
    "lorong.report.reopen": N_("Report reopened"),
    "lorong.report.photo": N_("Report photo added"),
    "lorong.scores.run": N_("Scores computed"),
    "lorong.wastebank.create": N_("Waste bank created"),
    "lorong.wastebank.account": N_("Waste bank account opened"),
    "lorong.wastebank.price": N_("Waste price set"),
    "lorong.wastebank.deposit": N_("Waste deposited"),
    "lorong.wastebank.withdrawal": N_("Savings withdrawn"),
    "lorong.wastebank.sale": N_("Waste sold"),
    "lorong.wastebank.capital": N_("Capital added"),
    "lorong.market.save": N_("Market saved"),
    "lorong.prices.record": N_("Food prices recorded"),
    "lorong.prices.settings": N_("Food price settings changed"),
    # ASEAN Smart Cities Network
    "ascn.import": N_("ASCN workbook imported"),
    "ascn.city.update": N_("Member city changed"),
    "ascn.city.editor.add": N_("Member city editor named"),
    "ascn.city.editor.remove": N_("Member city editor removed"),
    "ascn.project.create": N_("Project created"),
    "ascn.project.update": N_("Project changed"),
    "ascn.project.delete": N_("Project deleted"),
    "ascn.document.add": N_("Document added"),
    "ascn.indicator.value": N_("Indicator value recorded"),
    "ascn.partner.create": N_("Partner added"),
    "ascn.partner.update": N_("Partner changed"),
    "ascn.partner.merge": N_("Partners merged"),
    "ascn.partner.dismiss": N_("Partners kept apart (not a duplicate)"),
    "ascn.partnership.create": N_("Partnership recorded"),
    "ascn.claim.create": N_("Published figure recorded"),
    "ascn.practice.save": N_("Good practice saved"),
}

#: The kinds of imported file, by code; a kind ``prefix:...`` (one per bike-share system) takes its prefix's label.
IMPORT_KINDS: dict[str, str] = {
    "admin_areas": N_("Admin areas (GeoJSON)"),
    "roads.network": N_("Road network (OpenStreetMap)"),
    "network.elevation": N_("Elevation model (GeoTIFF)"),
    "bikes.destinations": N_("Bike tour destinations"),
    "bikes.trips": N_("Bike trips (CSV)"),
    "lorong.units": N_("Lorong list"),
    "lorong.activities": N_("Lorong activities"),
    "lorong.values": N_("Lorong indicator values"),
    "ascn.workbook": N_("ASCN workbook"),
}

#: What an import's result counts, by key (the numbers of ``ImportBatch.summary``).
IMPORT_RESULTS: dict[str, str] = {
    "created": N_("created"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "derived": N_("derived from villages"),
    "skipped": N_("skipped"),
    "imported": N_("imported"),
    "errors": N_("with errors"),
    "duplicates": N_("duplicates"),
    "segments": N_("road segments"),
    "retired": N_("retired"),
    "ways_read": N_("OSM ways read"),
    "length_km": N_("length"),
    "outside": N_("outside the model"),
    "climb_km": N_("climb"),
}


def action_label(code: str, lang: str) -> str:
    """What the audit action ``code`` did, in ``lang`` (the code itself when it has no label)."""
    label = AUDIT_ACTIONS.get(code)
    return gettext(label, lang) if label else code


def import_kind_label(kind: str, lang: str) -> str:
    """What kind of file an import read, in ``lang`` (``bikes.trips:banyuwangi`` as ``bikes.trips``; else the code)."""
    label = IMPORT_KINDS.get(kind) or IMPORT_KINDS.get(kind.partition(":")[0])
    return gettext(label, lang) if label else kind


def import_results(summary: dict[str, Any] | None, lang: str) -> list[tuple[str, str]]:
    """The figures of an import's summary as ``(label, figure)`` in ``lang``: counts with the locale's separators,
    ``*_km`` as lengths; flags, checksums, lists and names are left out."""
    out = []
    for key, value in (summary or {}).items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        label = gettext(IMPORT_RESULTS[key], lang) if key in IMPORT_RESULTS else key
        if key.endswith("_km"):
            figure = formats.km(value, lang, 1)
        elif isinstance(value, int):
            figure = formats.count(value, lang)
        else:
            figure = formats.compact(value, lang, 2)
        out.append((label, figure))
    return out
