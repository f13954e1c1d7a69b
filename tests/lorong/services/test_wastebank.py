"""The waste bank in the database: balances kept with the postings, refusals, idempotency, month totals."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from kotacerdas.core.db import session_scope
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.services import wastebank as svc
from kotacerdas.lorong.store.tables import LorongUnit, LorongWasteAccount, LorongWastePosting


def at(day, hour=9):
    return datetime(2025, 4, day, hour, tzinfo=UTC)


def test_deposits_withdrawals_and_the_month(world):
    with session_scope(world.engine) as s:
        unit = s.get(LorongUnit, world.units["lr-a1"])
        bank = svc.create_bank(s, unit, "bs-anggrek", "Bank Sampah Anggrek")
        svc.set_price(s, bank, "pet", date(2025, 1, 1), 3000)
        svc.set_price(s, bank, "pet", date(2025, 4, 10), 4000)
        a = svc.open_account(s, bank, "Sitti")
        b = svc.open_account(s, bank, "Andi")
        assert a.account_no == "BS-ANGGR-0001"
        svc.deposit(s, bank, a, [("pet", 2.0)], key="d1", at=at(5))
        svc.deposit(s, bank, b, [("pet", 1.5)], key="d2", at=at(12))
        _row, created = svc.deposit(s, bank, b, [("pet", 1.5)], key="d2", at=at(12))
        assert not created
        assert (a.balance, b.balance) == (6000, 6000)
        with pytest.raises(LorongError, match="Not enough cash"):
            svc.withdraw(s, bank, a, 5000, key="w1", at=at(20))
        svc.sell(s, bank, 20_000, key="s1", at=at(21))
        svc.withdraw(s, bank, a, 5000, key="w1", at=at(22))
        assert (a.balance, bank.cash) == (1000, 15_000)
        ledger = svc.load_ledger(s, bank.id)
        ledger.check()
        assert ledger.balance("savings:" + a.account_no) == a.balance
        total = s.scalar(select(func.sum(LorongWastePosting.amount)).where(LorongWastePosting.bank_id == bank.id))
        assert total == 0
        month = svc.month_totals(s, bank, "2025-04")
        assert month["kg"] == {"pet": 3.5} and month["deposited"] == 12_000 and month["savers"] == 2
        assert svc.circular_values(s, unit, "2025-04") == {
            "sampah-terpilah": 3.5,
            "penabung-aktif": 2,
            "nilai-tabungan": 12_000,
        }
        st = svc.statement(s, bank, a, "2025-04")
        assert (st.opening, st.deposited, st.withdrawn, st.closing) == (0, 6000, 5000, 1000)


def test_the_database_refuses_a_negative_balance(world):
    with session_scope(world.engine) as s:
        bank = svc.create_bank(s, s.get(LorongUnit, world.units["lr-a1"]), "bs-x", "X")
        svc.open_account(s, bank, "Nur")
    with pytest.raises(IntegrityError):
        with session_scope(world.engine) as s:
            s.execute(update(LorongWasteAccount).values(balance=-1))


def test_the_current_month_is_the_citys(world):
    """Makassar is UTC+8: from 16:00 UTC on the last day of a month, it is already the next month there."""
    from kotacerdas.core.models import City

    with session_scope(world.engine) as s:
        s.get(City, world.mks).timezone = "Asia/Makassar"
        bank = svc.create_bank(s, s.get(LorongUnit, world.units["lr-a1"]), "bs-bulan", "Bank Sampah Bulan")
        assert svc.current_month(s, bank, datetime(2025, 1, 31, 15, 59, tzinfo=UTC)) == "2025-01"
        assert svc.current_month(s, bank, datetime(2025, 1, 31, 16, 0, tzinfo=UTC)) == "2025-02"
