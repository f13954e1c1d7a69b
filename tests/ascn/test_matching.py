"""The matcher's signals and reasons on a small hand-made registry, and the popularity baseline."""

import numpy as np

from kotacerdas.ascn import matching


def unit(*v):
    a = np.array(v, dtype=np.float32)
    return a / np.linalg.norm(a)


PARTNERS = [
    matching.PartnerProfile(1, "Flood lab", ("knowledge_sharing",), ("safety_security",), unit(1, 0, 0)),
    matching.PartnerProfile(2, "Big bank", ("finance",), ("built_infrastructure",), unit(0, 1, 0)),
    matching.PartnerProfile(3, "Busy firm", ("technical_assistance",), ("civic_social",), unit(0, 0, 1)),
]
HISTORY = [
    matching.Past(1, 10, "ID", ("safety_security",), "knowledge_sharing", unit(1, 0.1, 0)),
    matching.Past(3, 11, "PH", ("civic_social",), "technical_assistance", unit(0, 0, 1)),
    matching.Past(3, 12, "PH", ("civic_social",), "technical_assistance", unit(0, 0, 1)),
    matching.Past(3, 13, "VN", ("civic_social",), "technical_assistance", unit(0, 0, 1)),
]


def test_history_in_the_focus_area_country_offers_and_text_rank_the_fitting_partner_first():
    need = matching.Need("flood warning", ("safety_security",), ("knowledge_sharing",), "ID", 99, unit(1, 0, 0))
    ranked = matching.rank_partners(need, PARTNERS, HISTORY)
    assert ranked[0].id == 1
    codes = {r.code for r in ranked[0].reasons}
    assert codes == {"history", "country", "offers", "text"}
    assert "1 past partnerships on projects in Safety and security" in [r.render("en") for r in ranked[0].reasons]
    assert any("Keselamatan dan keamanan" in r.render("id") for r in ranked[0].reasons)
    # the popularity baseline prefers the busiest partner whatever the need
    assert matching.popularity(PARTNERS, HISTORY)[0] == 3


def test_peers_leave_out_the_city_itself_and_weigh_how_far_a_project_got():
    need = matching.Need("flood", ("safety_security",), (), "ID", 10, unit(1, 0, 0))
    projects = [
        matching.PeerProject(1, 10, "own", "operational", ("safety_security",), unit(1, 0, 0)),
        matching.PeerProject(2, 20, "idea only", "idea", ("safety_security",), unit(1, 0, 0)),
        matching.PeerProject(3, 30, "solved it", "operational", ("safety_security",), unit(1, 0, 0)),
    ]
    ranked = matching.rank_peers(need, projects)
    assert [r.id for r in ranked] == [30, 20]
    assert ranked[0].detail["project_id"] == 3


def test_programmes_score_on_support_types_and_sponsor():
    need = matching.Need("x", ("built_infrastructure",), ("finance",), None, None, unit(0, 1, 0))
    programmes = [
        matching.ProgrammeProfile(1, "Fund", 2, ("finance",), ("built_infrastructure",), unit(0, 1, 0)),
        matching.ProgrammeProfile(2, "Exchange", 1, ("twinning",), ("civic_social",), unit(1, 0, 0)),
    ]
    ranked = matching.rank_programmes(need, programmes, {2: 0.6, 1: 0.1})
    assert ranked[0].id == 1 and {r.code for r in ranked[0].reasons} >= {"offers", "focus", "sponsor"}
