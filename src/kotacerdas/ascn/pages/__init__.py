"""The ASCN portal: public pages (map, cities, projects, partners, statistics, knowledge base, matchmaking) and
the forms of the people who edit (a city's officer, a partner's editors, the secretariat)."""

from fastapi import APIRouter

from kotacerdas.ascn.pages import forms, portal

router = APIRouter(include_in_schema=False)
router.include_router(portal.router)
router.include_router(forms.router)
