"""Reports: drafts, submission, return with a comment, verification, versions, offline resends, evidence, and the
roll-up the dashboards read kept equal to the verified values."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from kotacerdas.core.db import session_scope
from kotacerdas.core.models import AuditEvent
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.generate import demo_photo
from kotacerdas.lorong.services import reports, scores, units
from kotacerdas.lorong.store.tables import LorongProgramme, LorongReportValue, LorongRollup, LorongUnit

NOW = datetime(2025, 5, 3, 10, tzinfo=UTC)


def rollup(s, prog, kel, period):
    return {
        r.indicator_id: (r.value_sum, r.value_count)
        for r in s.scalars(
            select(LorongRollup).where(
                LorongRollup.programme_id == prog, LorongRollup.kelurahan_code == kel, LorongRollup.period == period
            )
        )
    }


def test_the_life_of_a_report(world):
    with session_scope(world.engine) as s:
        unit = s.get(LorongUnit, world.units["lr-a1"])
        r, changed = reports.save(s, unit, "2025-04", {"gerai-kuliner": 4}, user_id=None, submit=False, now=NOW)
        assert changed and r.status == "draft" and r.version == 1
        r, _ = reports.save(
            s, unit, "2025-04", {"gerai-kuliner": 5, "pengunjung-kuliner": 120}, user_id=None, submit=True, now=NOW
        )
        assert r.status == "submitted" and r.version == 2 and r.on_time is True
        with pytest.raises(LorongError, match="Say what to fix"):
            reports.return_report(s, r, user_id=None, comment=" ")
        reports.return_report(s, r, user_id=None, comment="Pengunjung terlalu sedikit?")
        assert r.status == "returned"
        reports.save(s, unit, "2025-04", {"pengunjung-kuliner": 180}, user_id=None, submit=True, now=NOW)
        reports.verify(s, r, user_id=None, comment="ok")
        assert r.status == "verified" and r.version == 5
        versions = reports.versions(s, r.id)
        assert [v.action for v in versions] == ["save", "submit", "return", "submit", "verify"]
        assert versions[1].values == {"gerai-kuliner": 5.0, "pengunjung-kuliner": 120.0}
        assert versions[-1].values == {"gerai-kuliner": 5.0, "pengunjung-kuliner": 180.0}
        assert s.scalar(select(func.count()).where(AuditEvent.action.like("lorong.report.%"))) == 5
        with pytest.raises(LorongError) as exc:
            reports.verify(s, r, user_id=None)
        assert exc.value.status == 409


def test_the_rollup_follows_verification_and_corrections(world):
    with session_scope(world.engine) as s:
        a1 = s.get(LorongUnit, world.units["lr-a1"])
        a2 = s.get(LorongUnit, world.units["lr-a2"])
        r1, _ = reports.save(s, a1, "2025-04", {"gerai-kuliner": 4}, user_id=None, submit=True, now=NOW)
        r2, _ = reports.save(s, a2, "2025-04", {"luas-tanam": 30}, user_id=None, submit=True, now=NOW)
        assert rollup(s, world.lw, a1.kelurahan_code, "2025-04") == {}
        reports.verify(s, r1, user_id=None)
        reports.verify(s, r2, user_id=None)
        got = rollup(s, world.lw, a1.kelurahan_code, "2025-04")
        assert sorted(got.values()) == [(4.0, 1), (30.0, 1)]
        # a correction reopens the report: its values leave the roll-up until verified again
        reports.save(s, a1, "2025-04", {"gerai-kuliner": 6}, user_id=None, submit=True, now=NOW)
        assert sorted(rollup(s, world.lw, a1.kelurahan_code, "2025-04").values()) == [(30.0, 1)]
        reports.verify(s, r1, user_id=None)
        assert sorted(rollup(s, world.lw, a1.kelurahan_code, "2025-04").values()) == [(6.0, 1), (30.0, 1)]


def test_an_offline_resend_with_the_same_key_changes_nothing(world):
    with session_scope(world.engine) as s:
        unit = s.get(LorongUnit, world.units["lr-a2"])
        r, changed = reports.save(
            s, unit, "2025-04", {"luas-tanam": 12}, user_id=None, submit=True, client_key="phone-1", now=NOW
        )
        again, changed2 = reports.save(
            s, unit, "2025-04", {"luas-tanam": 12}, user_id=None, submit=True, client_key="phone-1", now=NOW
        )
        assert changed and not changed2 and again.id == r.id and again.version == 1


def test_evidence_photos_are_required_before_verification(world):
    with session_scope(world.engine) as s:
        unit = s.get(LorongUnit, world.units["lr-a2"])
        r, _ = reports.save(s, unit, "2025-04", {"panen-urban": 8}, user_id=None, submit=True, now=NOW)
        assert reports.missing_evidence(s, r) == ["panen-urban"]
        with pytest.raises(LorongError, match="photo is required"):
            reports.verify(s, r, user_id=None)
        units.add_photo(s, unit, demo_photo(1), user_id=None, report_id=r.id)
        assert reports.missing_evidence(s, r) == []
        reports.verify(s, r, user_id=None)


@pytest.mark.parametrize(
    ("period", "values", "message"),
    [
        ("2025-Q2", {"luas-tanam": 1}, "reports per month"),
        ("2099-01", {"luas-tanam": 1}, "has not started"),
        ("2025-04", {"nope": 1}, "Unknown indicator"),
        ("2025-04", {"luas-tanam": -3}, "from 0 up"),
        ("2025-04", {"luas-tanam": "banyak"}, "not a number"),
        ("2025-04", {}, "at least one value"),
        ("2025-04", {"gerai-kuliner": 3}, "theme destinasi-kuliner, which lr-a2 does not take part in"),
    ],
)
def test_bad_reports_are_refused_and_change_nothing(world, period, values, message):
    with session_scope(world.engine) as s:
        unit = s.get(LorongUnit, world.units["lr-a2"])
        with pytest.raises(LorongError, match=message):
            reports.save(s, unit, period, values, user_id=None, submit=True, now=NOW)
    with session_scope(world.engine) as s:
        assert s.scalar(select(func.count()).select_from(LorongReportValue)) == 0


def test_late_reports_are_marked(world):
    with session_scope(world.engine) as s:
        unit = s.get(LorongUnit, world.units["lr-a2"])
        r, _ = reports.save(s, unit, "2025-03", {"luas-tanam": 1}, user_id=None, submit=True, now=NOW)
        assert r.on_time is False


def test_the_summaries_stay_equal_to_the_reports_through_every_change(world):
    """Submit, return, resubmit, verify, correct: after each, the dashboard's summaries equal a direct count."""
    from kotacerdas.lorong.store.queries import aggregates, aggregates_per_row

    keys = ["2025-03", "2025-04"]

    def check(s):
        a, b = aggregates(s, world.lw, keys), aggregates_per_row(s, world.lw, keys)
        assert (a.reports, a.trend, a.kelurahan) == (b.reports, b.trend, b.kelurahan)

    with session_scope(world.engine) as s:
        a1, b1 = s.get(LorongUnit, world.units["lr-a1"]), s.get(LorongUnit, world.units["lr-b1"])
        r1, _ = reports.save(s, a1, "2025-04", {"gerai-kuliner": 4}, user_id=None, submit=True, now=NOW)
        r2, _ = reports.save(s, b1, "2025-03", {"acara-seni": 1}, user_id=None, submit=True, now=NOW)
        check(s)
        reports.return_report(s, r1, user_id=None, comment="lagi")
        check(s)
        reports.save(s, a1, "2025-04", {"gerai-kuliner": 5}, user_id=None, submit=True, now=NOW)
        reports.verify(s, r1, user_id=None)
        reports.verify(s, r2, user_id=None)
        check(s)
        assert aggregates(s, world.lw, keys).reports["2025-04"] == {"submitted": 1, "on_time": 1, "verified": 1}
        reports.save(s, b1, "2025-03", {"acara-seni": 3}, user_id=None, submit=True, now=NOW)
        check(s)


def test_changing_a_verified_report_reopens_it_for_the_lurah(world):
    """A draft over a verified report is refused; a correction goes back to the lurah, leaves the dashboard and
    the unit's score until verified again, and is audited as a reopening."""
    with session_scope(world.engine) as s:
        a2 = s.get(LorongUnit, world.units["lr-a2"])
        r, _ = reports.save(s, a2, "2025-04", {"luas-tanam": 30}, user_id=None, submit=True, now=NOW)
        reports.verify(s, r, user_id=None)
        scores.recompute(s, s.get(LorongProgramme, world.lw), unit_ids=[a2.id])
        scored = a2.score
        assert scored and scored > 0
        rid = r.id
    with session_scope(world.engine) as s:
        a2 = s.get(LorongUnit, world.units["lr-a2"])
        with pytest.raises(LorongError, match="was verified") as exc:
            reports.save(s, a2, "2025-04", {"luas-tanam": 900}, user_id=None, submit=False, now=NOW)
        assert exc.value.status == 409
    with session_scope(world.engine) as s:
        r = reports.get_report(s, rid)
        assert r.status == "verified" and reports.values_of(s, rid) == {"luas-tanam": 30.0}
        assert sorted(rollup(s, world.lw, a2.kelurahan_code, "2025-04").values()) == [(30.0, 1)]
    with session_scope(world.engine) as s:
        a2 = s.get(LorongUnit, world.units["lr-a2"])
        r, _ = reports.save(s, a2, "2025-04", {"luas-tanam": 900}, user_id=None, submit=True, now=NOW)
        assert r.status == "submitted" and r.verified_by is None and r.verified_at is None
        assert rollup(s, world.lw, a2.kelurahan_code, "2025-04") == {}
        assert (a2.score or 0) < scored
        reopened = s.scalars(select(AuditEvent).where(AuditEvent.action == "lorong.report.reopen")).all()
        assert [e.target for e in reopened] == ["lr-a2/2025-04"]
