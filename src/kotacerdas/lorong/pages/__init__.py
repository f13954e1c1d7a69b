"""Web pages of the neighbourhood programmes: the public directory and unit pages, the coordinator's report form
(kept on the phone while offline), the lurah's verification list, the dashboard and the food prices."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
