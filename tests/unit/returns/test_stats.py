"""Return statistics as Eurostat counts them (migr_eiord / migr_eirtn)."""

from datetime import date

from pactum.returns.stats import Order, Return, stats_rows


def test_orders_by_issuing_state_returns_by_returning_state() -> None:
    orders = [
        Order("p1", "IT", "TUN", date(2026, 3, 1)),
        Order("p2", "IT", "TUN", date(2026, 4, 1)),
        Order("p3", "DE", "GEO", date(2026, 5, 1)),
    ]
    # p1 ordered to leave by Italy, found in Germany, Germany recognised and returned him
    returns = [
        Return("p1", "DE", "TUN", date(2026, 6, 1)),
        Return("p3", "DE", "GEO", date(2026, 6, 2)),
    ]
    rows = stats_rows(2026, orders, returns)
    assert rows == [
        {
            "member_state": "DE",
            "nationality": "GEO",
            "ordered_to_leave": 1,
            "returned": 1,
            "return_rate": 1.0,
        },
        {
            "member_state": "DE",
            "nationality": "TUN",
            "ordered_to_leave": 0,
            "returned": 1,
            "return_rate": None,
        },
        {
            "member_state": "IT",
            "nationality": "TUN",
            "ordered_to_leave": 2,
            "returned": 0,
            "return_rate": 0.0,
        },
    ]


def test_a_person_counts_once_per_state_year_and_nationality() -> None:
    orders = [
        Order("p1", "FR", "MAR", date(2026, 1, 5)),
        Order("p1", "FR", "MAR", date(2026, 8, 5)),
    ]
    rows = stats_rows(2026, orders, [])
    assert rows[0]["ordered_to_leave"] == 1


def test_orders_and_returns_are_counted_in_their_own_year_not_as_a_cohort() -> None:
    orders = [
        Order("p1", "BE", "ALB", date(2025, 12, 20)),
        Order("p2", "BE", "ALB", date(2026, 2, 1)),
        Order("p3", "BE", "ALB", date(2026, 2, 1)),
        Order("p4", "BE", "ALB", date(2026, 2, 1)),
    ]
    returns = [Return("p1", "BE", "ALB", date(2026, 1, 10))]
    (row,) = stats_rows(2026, orders, returns)
    assert (row["ordered_to_leave"], row["returned"], row["return_rate"]) == (
        3,
        1,
        0.3333,
    )
