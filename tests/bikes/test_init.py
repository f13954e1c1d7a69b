"""The public API of Bike Sharing: listed once in ``kotacerdas.bikes``, pinned here, cheap to import."""

from __future__ import annotations

import subprocess
import sys

import kotacerdas.bikes as bikes

PUBLIC = [
    "Alert", "AlertTime", "Bike", "BikeStatus", "BikesError", "DayPass", "DemandForecaster", "DemandProfile",
    "Fare", "GeofencingRule", "GeofencingZone", "Ledger", "OperatorTask", "PaymentEvent", "PaymentIntent",
    "PaymentProvider", "Posting", "PricingPlan", "Region", "Rental", "Reservation", "Rider", "SandboxProvider",
    "Station", "System", "SystemState", "TRANSITIONS", "Transaction", "Trip", "Truck", "VehicleType",
    "active_pass", "apply_payment_event", "build_feed", "build_v2", "build_v3", "buy_day_pass",
    "cancel_reservation", "charging_tasks", "check_plan", "check_qris", "close_task", "day_pass_comparison",
    "dock_space", "end_rental", "evaluate", "expire_reservations", "finish_repair", "fit_forecaster", "free_docks",
    "hourly_counts", "local", "manifest_v3", "mark_missing", "move_bike", "nearest_station_with_space", "new_bike",
    "occupancy", "open_task", "overdue_rentals", "plan_routes", "profile_from_trips", "qris_payload",
    "recover_bike", "redirect_return", "rental_fare", "report_broken", "reserve", "ride_fare", "simulate_day",
    "start_rental", "start_repair", "station_needs", "straight_line_matrix", "text_in", "transition",
    "update_task",
]  # fmt: skip


def test_the_public_api_is_pinned_and_every_name_loads():
    assert bikes.__all__ == sorted(PUBLIC)
    assert dir(bikes) == bikes.__all__
    for name in PUBLIC:
        assert getattr(bikes, name) is not None
    assert bikes.ride_fare.__module__ == "kotacerdas.bikes.pricing"


def test_importing_the_domain_loads_no_web_framework_and_no_solver():
    code = (
        "import sys, kotacerdas.bikes as b; b.DOMAIN; "
        "heavy = [m for m in ('fastapi', 'starlette', 'ortools', 'sqlalchemy', 'numpy') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
