"""Computed figures beside published claims, newest claim first, claims-only metrics kept."""

from kotacerdas.ascn.figures import Claim, side_by_side


def test_each_computed_metric_is_shown_with_every_claim_about_it():
    claims = [
        Claim("projects", 50, "about", "Annual meeting", "2024"),
        Claim("projects", 30, "", "Earlier report", "2021"),
        Claim("budget_total", 1e6, "", "Budget note", "2023"),
    ]
    figs = {f.metric: f for f in side_by_side({"projects": 46, "partnerships": 83}, claims)}
    assert figs["projects"].computed == 46
    assert [c.as_of for c in figs["projects"].claims] == ["2024", "2021"]
    assert figs["partnerships"].claims == ()
    assert figs["budget_total"].computed is None and figs["budget_total"].claims[0].value == 1e6
    d = figs["projects"].as_dict()
    assert d["computed"] == {"value": 46, "source": "registry"} and d["claims"][0]["qualifier"] == "about"
