"""Road Manager use cases: survey import and deletion, vehicles and calibration, the Excel report."""
