"""Bike Sharing: docked bike-share operations, a payments ledger, GBFS feeds and rebalancing.

The domain describes itself to the platform in :data:`DOMAIN` (dotted names, imported only
when used); its public API, the rules and algorithms another program would use (records,
bike rules, fares, the ledger, GBFS builders, the forecaster, rebalancing, the demand
simulator), is listed in ``__all__`` and loaded on first use, so ``import kotacerdas.bikes``
stays cheap.

Layout: the pure modules (``model``, ``operations``, ``pricing``, ``ledger``, ``gbfs``,
``forecast``, ``rebalancing``, ``demand_sim``, ``demo``, ``errors``) beside ``store/`` (tables,
rows, the rental hot path's SQL, list queries), ``services/`` (one transaction per use case),
``api/`` (the JSON API and the GBFS routes), ``pages/`` (the screens) and ``cli.py``.
"""

from kotacerdas.core.i18n import N_
from kotacerdas.core.registry import Domain, lazy_exports

DOMAIN = Domain(
    name="bikes",
    title=N_("Bike Sharing"),
    summary=N_("Docked bike share between destinations, with an open GBFS feed"),
    tables=("kotacerdas.bikes.store.tables", "kotacerdas.bikes.store.route_tables"),
    api="kotacerdas.bikes.api:router",
    public="kotacerdas.bikes.api.gbfs:router",
    pages="kotacerdas.bikes.pages:router",
    cli="kotacerdas.bikes.cli:app",
    cli_help="Bike Sharing: systems, stations, trips, forecasts, rebalancing, GBFS feeds.",
    demo="kotacerdas.bikes.services.demo:load_demo",
    home="kotacerdas.bikes.home:home_figures",
    home_link="/bikes",
    jobs=("kotacerdas.bikes.jobs",),
    home_empty=N_("No bike-share system in this city yet. The city's administrator can set one up."),
    staff=(("bikes.read_private", N_("Bike operator screens"), "/bikes/operator?city={city}"),),
    staff_cities="kotacerdas.bikes.services.systems:cities_with_systems",
    tags=(
        (
            "bikes",
            "Bike Sharing: systems, stations, plans and alerts (public); the rider's account, rides and wallet; "
            "the operator's fleet, tasks, trips and figures.",
        ),
        ("GBFS", "The open GBFS 3.0 and 2.3 feeds of every bike-share system (public, cached, with ETags)."),
    ),
)

_MODEL = "kotacerdas.bikes.model"
_OPERATIONS = "kotacerdas.bikes.operations"
_PRICING = "kotacerdas.bikes.pricing"
_LEDGER = "kotacerdas.bikes.ledger"
_GBFS = "kotacerdas.bikes.gbfs"
_FORECAST = "kotacerdas.bikes.forecast"
_REBALANCING = "kotacerdas.bikes.rebalancing"
_SIMULATION = "kotacerdas.bikes.demand_sim"

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "BikesError": "kotacerdas.bikes.errors",
        # records
        **dict.fromkeys(
            (
                "Alert",
                "AlertTime",
                "Bike",
                "BikeStatus",
                "DayPass",
                "GeofencingRule",
                "GeofencingZone",
                "OperatorTask",
                "PricingPlan",
                "Region",
                "Rental",
                "Reservation",
                "Rider",
                "Station",
                "System",
                "SystemState",
                "Trip",
                "VehicleType",
                "local",
                "text_in",
            ),
            _MODEL,
        ),
        # the rules of a bike's life
        **dict.fromkeys(
            (
                "TRANSITIONS",
                "cancel_reservation",
                "charging_tasks",
                "close_task",
                "dock_space",
                "end_rental",
                "expire_reservations",
                "finish_repair",
                "free_docks",
                "mark_missing",
                "move_bike",
                "nearest_station_with_space",
                "new_bike",
                "occupancy",
                "open_task",
                "overdue_rentals",
                "recover_bike",
                "redirect_return",
                "report_broken",
                "reserve",
                "start_rental",
                "start_repair",
                "transition",
                "update_task",
            ),
            _OPERATIONS,
        ),
        # fares
        **dict.fromkeys(
            ("Fare", "active_pass", "buy_day_pass", "day_pass_comparison", "rental_fare", "ride_fare"), _PRICING
        ),
        # money
        **dict.fromkeys(
            (
                "Ledger",
                "PaymentEvent",
                "PaymentIntent",
                "PaymentProvider",
                "Posting",
                "SandboxProvider",
                "Transaction",
                "apply_payment_event",
                "check_qris",
                "qris_payload",
            ),
            _LEDGER,
        ),
        # open data
        **dict.fromkeys(("build_feed", "build_v2", "build_v3", "manifest_v3"), _GBFS),
        # demand and rebalancing
        **dict.fromkeys(("DemandForecaster", "evaluate", "fit_forecaster", "hourly_counts"), _FORECAST),
        **dict.fromkeys(("Truck", "check_plan", "plan_routes", "station_needs", "straight_line_matrix"), _REBALANCING),
        **dict.fromkeys(("DemandProfile", "profile_from_trips", "simulate_day"), _SIMULATION),
    },
)
