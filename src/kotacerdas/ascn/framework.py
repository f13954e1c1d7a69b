"""The vocabulary of the ASEAN Smart Cities Network: focus areas, project statuses, partnership and support types.

The six focus areas are those of the ASEAN Smart Cities Framework (2018). Each vocabulary is a
tuple of codes with an English label marked for translation; codes are what the database,
the API, the exports and the spreadsheets carry. :func:`check_codes` turns a list of codes
(or labels, in either language) into codes and names the one it does not know.

Currencies are checked against ISO 4217 and countries against ISO 3166-1 as the Unicode CLDR
lists them (through Babel): a currency some territory uses today, a two-letter code of a
country or territory (not the user-assigned ``XA``..``XZ``, ``QM``..``QZ``, ``AA``, ``ZZ``, nor
groupings such as ``EU`` and ``UN``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache
from urllib.parse import urlsplit

from kotacerdas.ascn.errors import AscnError
from kotacerdas.core.i18n import N_, gettext

#: The six focus areas of the ASEAN Smart Cities Framework.
FOCUS_AREAS: dict[str, str] = {
    "civic_social": N_("Civic and social"),
    "health_wellbeing": N_("Health and well-being"),
    "safety_security": N_("Safety and security"),
    "quality_environment": N_("Quality environment"),
    "built_infrastructure": N_("Built infrastructure"),
    "industry_innovation": N_("Industry and innovation"),
}

#: Where a project stands, from first idea to its end.
PROJECT_STATUSES: dict[str, str] = {
    "idea": N_("Idea"),
    "feasibility_study": N_("Feasibility study"),
    "implementing": N_("Implementing"),
    "operational": N_("Operational"),
    "completed": N_("Completed"),
    "stopped": N_("Stopped"),
}

#: What a partner brings to a city: the type of a partnership and the support a partner offers.
PARTNERSHIP_TYPES: dict[str, str] = {
    "capacity_building": N_("Capacity building"),
    "knowledge_sharing": N_("Knowledge sharing"),
    "technical_assistance": N_("Technical assistance"),
    "feasibility_study": N_("Feasibility study"),
    "finance": N_("Finance"),
    "twinning": N_("Twinning"),
}

PARTNERSHIP_STATUSES: dict[str, str] = {
    "proposed": N_("Proposed"),
    "active": N_("Active"),
    "completed": N_("Completed"),
    "ended": N_("Ended early"),
}

PARTNER_KINDS: dict[str, str] = {
    "government": N_("Government"),
    "agency": N_("Agency"),
    "company": N_("Company"),
    "university": N_("University"),
    "international_organisation": N_("International organisation"),
    "non_profit": N_("Non-profit organisation"),
}

#: ASEAN member states (ISO 3166-1 alpha-2) with their English names.
ASEAN_COUNTRIES: dict[str, str] = {
    "BN": N_("Brunei Darussalam"),
    "KH": N_("Cambodia"),
    "ID": N_("Indonesia"),
    "LA": N_("Lao PDR"),
    "MY": N_("Malaysia"),
    "MM": N_("Myanmar"),
    "PH": N_("Philippines"),
    "SG": N_("Singapore"),
    "TH": N_("Thailand"),
    "VN": N_("Viet Nam"),
}

#: The language tag (BCP 47) of each member state's national language, for a city's local name: a country code
#: is no language tag (``LA`` is Latin, ``KH`` and ``MM`` none at all).
COUNTRY_LANGUAGES: dict[str, str] = {
    "BN": "ms",
    "KH": "km",
    "ID": "id",
    "LA": "lo",
    "MY": "ms",
    "MM": "my",
    "PH": "fil",
    "SG": "ms",
    "TH": "th",
    "VN": "vi",
}

#: Languages a project or a practice may be written in besides English (ISO 639-1).
ASEAN_LANGUAGES: dict[str, str] = {
    "en": N_("English"),
    "id": N_("Bahasa Indonesia"),
    "ms": N_("Malay"),
    "th": N_("Thai"),
    "vi": N_("Vietnamese"),
    "km": N_("Khmer"),
    "lo": N_("Lao"),
    "my": N_("Burmese"),
    "fil": N_("Filipino"),
    "tl": N_("Tagalog"),
    "zh": N_("Chinese"),
    "ta": N_("Tamil"),
}

#: An SDG target: goal 1-17, then a number or a letter (``11.2``, ``6.b``).
SDG_TARGET = re.compile(r"^(1[0-7]|[1-9])\.([1-9][0-9]?|[a-d])$")
#: An ISO 4217 currency code.
CURRENCY = re.compile(r"^[A-Z]{3}$")
#: The years a date of the registry may fall in (a project's start and end, a partnership's, an indicator's).
YEARS = (1900, 2100)
#: An e-mail address: one ``@``, no spaces, a dot in the domain (the address is not looked up).
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
#: Two-letter codes CLDR lists among territories that are no country of ISO 3166-1.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"})
#: An as-of date: a year, a month or a day (``2024``, ``2024-07``, ``2024-07-18``).
AS_OF = re.compile(r"^(19|20)\d{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def label(vocabulary: dict[str, str], code: str, lang: str = "en") -> str:
    """The label of ``code`` in ``lang`` (the code itself when unknown)."""
    return gettext(vocabulary[code], lang) if code in vocabulary else code


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def check_code(vocabulary: dict[str, str], value: str, field: str) -> str:
    """``value`` as a code of ``vocabulary``: a code, or its label in English or Bahasa Indonesia."""
    key = _key(value)
    if key in vocabulary:
        return key
    for code, english in vocabulary.items():
        if key in (_key(english), _key(gettext(english, "id"))):
            return code
    raise AscnError(N_("{value} is not one of: {choices}"), field=field, value=value, choices=", ".join(vocabulary))


def check_codes(vocabulary: dict[str, str], values: Iterable[str], field: str) -> list[str]:
    """Each value as a code (see :func:`check_code`), duplicates dropped, in the vocabulary's order."""
    codes = {check_code(vocabulary, v, field) for v in values if v and v.strip()}
    return [c for c in vocabulary if c in codes]


def check_sdg_targets(values: Iterable[str]) -> list[str]:
    """SDG targets such as ``11.2`` or ``6.b``, sorted by goal and target."""
    out = set()
    for v in values:
        v = v.strip().lower()
        if not v:
            continue
        if not SDG_TARGET.match(v):
            raise AscnError(N_("{value} is not an SDG target (like 11.2 or 6.b)"), field="sdg_targets", value=v)
        out.add(v)
    return sorted(out, key=lambda t: (int(t.split(".")[0]), t.split(".")[1].zfill(3)))


def check_as_of(value: str) -> str:
    """An as-of date written as a year, a month or a day."""
    value = value.strip()
    if not AS_OF.match(value):
        raise AscnError(N_("{value} is not a date like 2024, 2024-07 or 2024-07-18"), field="as_of", value=value)
    return value


@cache
def currencies() -> frozenset[str]:
    """The ISO 4217 codes of the currencies some territory uses today (CLDR, through Babel)."""
    from babel.core import get_global

    table = get_global("territory_currencies")
    return frozenset(code for uses in table.values() for code, _start, end, _tender in uses if end is None)


@cache
def countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes of countries and territories (CLDR, through Babel)."""
    from babel import Locale

    codes = [str(code) for code in Locale("en").territories]
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES)


def check_currency(value: str | None) -> str | None:
    """An ISO 4217 currency code in use (``idr`` -> ``IDR``), or ``None`` when empty."""
    code = (value or "").strip().upper()
    if not code:
        return None
    if not CURRENCY.match(code) or code not in currencies():
        raise AscnError(N_("{value} is not an ISO 4217 currency code (like IDR or USD)"), field="currency", value=code)
    return code


def check_country(value: str | None, field: str = "country") -> str | None:
    """An ISO 3166-1 alpha-2 country code (``jp`` -> ``JP``), or ``None`` when empty."""
    code = (value or "").strip().upper()
    if not code:
        return None
    if code not in countries():
        raise AscnError(N_("{value} is not an ISO 3166-1 country code (like JP)"), field=field, value=code)
    return code


def check_email(value: str | None, field: str) -> str:
    """An e-mail address (stripped), or ``""`` when empty."""
    text = (value or "").strip()
    if text and not EMAIL.match(text):
        raise AscnError(N_("{value} is not an e-mail address"), field=field, value=text)
    return text


def check_url(value: str | None, field: str) -> str:
    """A web address starting with ``http://`` or ``https://`` (stripped), or ``""`` when empty."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in text
    except ValueError:
        ok = False
    if not ok:
        raise AscnError(N_("{value} is not a web address (like https://example.org)"), field=field, value=text)
    return text


def check_year(value: int | None, field: str, first: int = YEARS[0], last: int | None = None) -> int | None:
    """A year from ``first`` to ``last`` (the current year when ``None``), or ``None``."""
    if value is None:
        return None
    last = date.today().year if last is None else last
    if not first <= value <= last:
        raise AscnError(
            N_("The year {value} is outside {first}..{last}"), field=field, value=value, first=first, last=last
        )
    return value
