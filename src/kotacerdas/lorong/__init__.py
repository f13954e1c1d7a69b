"""Lorong Wisata and other neighbourhood programmes: configurable themes and indicators, units (lorong, desa)
with activities, periodic reports verified by the lurah, a waste bank, food prices, scores, rankings and a
public directory.

The domain describes itself to the platform in :data:`DOMAIN` (dotted names, imported only
when used); its public API is listed in ``__all__`` and loaded on first use.
"""

from kotacerdas.core.i18n import N_
from kotacerdas.core.registry import Domain, lazy_exports

DOMAIN = Domain(
    name="lorong",
    title=N_("Lorong Wisata"),
    summary=N_("Alleys turned into community spaces, with activities and indicators"),
    tables=("kotacerdas.lorong.store.tables",),
    jobs=("kotacerdas.lorong.jobs",),
    api="kotacerdas.lorong.api:router",
    pages="kotacerdas.lorong.pages:router",
    cli="kotacerdas.lorong.cli:cli",
    cli_help="Lorong Wisata and other neighbourhood programmes: themes, units, reports, imports, exports, scores.",
    demo="kotacerdas.lorong.demo:load_demo",
    home="kotacerdas.lorong.home:home_figures",
    home_link="/lorong",
    tags=(
        ("lorong: programmes", "Neighbourhood programmes (Lorong Wisata, Smart Kampung): themes and indicators."),
        ("lorong: units", "Units (lorong, desa): the public directory, pages and QR codes; private fields for staff."),
        ("lorong: reports", "Periodic indicator reports: submitted from a phone, verified or returned by the lurah."),
        ("lorong: waste bank and food prices", "The waste bank's savings ledger (private) and staple food prices."),
        ("lorong: dashboard and bulk data", "Dashboard, rankings, choropleth, exports and CSV/XLSX imports (staff)."),
    ),
)

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "LorongError": "kotacerdas.lorong.errors",
        "PROGRAMMES": "kotacerdas.lorong.seeds",
        "LORONG_WISATA": "kotacerdas.lorong.seeds",
        "SMART_KAMPUNG": "kotacerdas.lorong.seeds",
        "Period": "kotacerdas.lorong.periods",
        "ScoringRules": "kotacerdas.lorong.scoring",
        "IndicatorRule": "kotacerdas.lorong.scoring",
        "score_unit": "kotacerdas.lorong.scoring",
        "rank": "kotacerdas.lorong.scoring",
        "Ledger": "kotacerdas.lorong.wastebank",
        "MATERIALS": "kotacerdas.lorong.wastebank",
        "COMMODITIES": "kotacerdas.lorong.foodprices",
        "price_index": "kotacerdas.lorong.foodprices",
        "rises": "kotacerdas.lorong.foodprices",
        "qr_png": "kotacerdas.lorong.qrcode",
        "qr_svg": "kotacerdas.lorong.qrcode",
    },
)
