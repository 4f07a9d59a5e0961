"""The shipped Eurostat orders-to-leave and returns figures."""

from pactum.returns.calibration import eurostat, return_rate


def test_eu28_2016_figures_are_eurostats() -> None:
    f = eurostat()[("EU28", 2016)]
    assert (f.ordered_to_leave, f.returned, f.returned_to_third_country) == (493785, 247165, 226150)
    assert f.return_rate == 0.5006


def test_return_rate_sums_orders_and_returns_over_the_years() -> None:
    data = eurostat()
    ordered = sum(data[("IT", y)].ordered_to_leave or 0 for y in (2014, 2015, 2016))
    returned = sum(data[("IT", y)].returned or 0 for y in (2014, 2015, 2016))
    assert return_rate("IT") == round(returned / ordered, 4)
    assert return_rate("IT") < return_rate("DE")  # type: ignore[operator]


def test_greece_is_el_and_unknown_states_have_no_rate() -> None:
    assert return_rate("EL") is not None
    assert return_rate("XX") is None
