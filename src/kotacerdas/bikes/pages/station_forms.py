"""The operator's station forms: what a form posts, read field by field, and what a recorded change reads.

:func:`station_data` turns a station form (the new-station form, a row of the station table, the edit
page of one station) into the fields :func:`kotacerdas.bikes.services.stations.create` and
``change`` take, refusing a number that is not one with a message naming the field
(*kapasitas harus bilangan bulat, bukan “abc”*) instead of dropping it. :func:`change_fields` lists
every field a recorded change changed with its label and both values in the reader's language
(*Kapasitas: 16 → 18*, *Menyewakan: Ya → Tidak*, names in the reader's language, coordinates in the
locale).
"""

from __future__ import annotations

from typing import Any

from kotacerdas.bikes.errors import STATION_RECORD, BikesError
from kotacerdas.bikes.model import decimal_number, text_in, whole_number
from kotacerdas.bikes.services.stations import EDITABLE
from kotacerdas.core import formats
from kotacerdas.core.i18n import N_, gettext

#: What the list of changes calls each field an operator may change.
CHANGE_FIELDS: dict[str, str] = {
    "name": N_("Name"),
    "short_name": N_("Short name"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "capacity": N_("Capacity"),
    "num_docks_disabled": N_("Disabled docks"),
    "address": N_("Address"),
    "region_id": N_("Region"),
    "nearby": N_("Nearby"),
    "opening_hours": N_("Opening hours"),
    "is_charging_station": N_("Charging station"),
    "is_installed": N_("Installed"),
    "is_renting": N_("Renting"),
    "is_returning": N_("Returning"),
}
YES, NO = N_("Yes"), N_("No")
#: The flags of a station form: a ticked box is ``on``, a box left empty is not sent.
FLAGS = ("is_renting", "is_returning", "is_charging_station")


def form_text(id_text: str, en_text: str) -> dict[str, str] | None:
    """A text in both languages from a form's two fields (either may be blank: the other fills it)."""
    id_text, en_text = id_text.strip(), en_text.strip()
    if not id_text and not en_text:
        return None
    return {"id": id_text or en_text, "en": en_text or id_text}


def station_data(form: dict[str, str], station_id: str | None = None, *, whole: bool = False) -> dict[str, Any]:
    """The fields of a station form as the station services take them.

    Numbers are read strictly (a 400 naming the field and what was typed, never dropped); a blank number
    is left out (the station keeps its value). Flags are read when the form has them (``FLAGS`` given as
    keys, ``on`` when ticked). ``whole``: the form is the station's whole edit form, so its name is
    required (both blank: the name must not be empty) and a blank address clears it.
    """
    try:
        return _read(form, station_id, whole)
    except BikesError as exc:
        if station_id and exc.record == station_id:
            exc.record_label = STATION_RECORD
        raise


def _read(form: dict[str, str], station_id: str | None, whole: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    name = form_text(form.get("name_id", ""), form.get("name_en", ""))
    if name is not None or whole:
        out["name"] = name or {"id": "", "en": ""}
    for key, read in (("lat", decimal_number), ("lon", decimal_number)):
        if (form.get(key) or "").strip():
            out[key] = read(form[key], key, record=station_id)
    for key in ("capacity", "num_docks_disabled"):
        if (form.get(key) or "").strip():
            out[key] = whole_number(form[key], key, record=station_id)
    if whole or (form.get("address") or "").strip():
        out["address"] = (form.get("address") or "").strip()
    for key in FLAGS:
        if key in form:
            out[key] = form[key] == "on"
    return out


def _value(key: str, value: Any, lang: str) -> str:
    """One value of a recorded station as the reader reads it."""
    if value is None or value == "" or value == []:
        return formats.MISSING
    if isinstance(value, bool):
        return gettext(YES if value else NO, lang)
    if key in ("lat", "lon"):
        return formats.number(float(value), lang, 5)
    if isinstance(value, int):
        return formats.count(value, lang)
    if isinstance(value, dict):
        return text_in(value, lang)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def change_fields(change: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """Every field a recorded change of one station changed: ``label``, ``before`` and ``after`` in ``lang``
    (none for a station created or removed: the change says so itself)."""
    before, after = change.get("before"), change.get("after")
    if not before or not after:
        return []
    out = []
    for key in EDITABLE:
        if before.get(key) == after.get(key):
            continue
        old, new = _value(key, before.get(key), lang), _value(key, after.get(key), lang)
        if old == new and isinstance(after.get(key), dict):  # only the other language's text changed
            old, new = " / ".join(before[key].values()), " / ".join(after[key].values())
        out.append({"field": key, "label": gettext(CHANGE_FIELDS.get(key, key), lang), "before": old, "after": new})
    return out
