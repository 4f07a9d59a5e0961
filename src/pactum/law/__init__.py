"""Law as code: dated, referenced legal parameters, regimes chosen by the legally relevant date,
periods under Reg. (EEC, Euratom) No 1182/71, every legal time limit, and explanation traces.

Public API (every area uses exactly these names)::

    from pactum.law import LegalRef, Param, param, Trace, time_limit, TimeLimitResult, regime_for, add_period
"""

from pactum.law.periods import Period, add_period, compute_period, is_working_day
from pactum.law.refs import INSTRUMENTS, LegalRef
from pactum.law.regimes import regime_for
from pactum.law.time_limits import KINDS, TimeLimitRequest, TimeLimitResult, time_limit
from pactum.law.trace import Trace
from pactum.law.tree import (
    NotInForce,
    Param,
    UnknownParameter,
    param,
    parameters_in_force,
)

__all__ = [
    "INSTRUMENTS",
    "KINDS",
    "LegalRef",
    "NotInForce",
    "Param",
    "Period",
    "TimeLimitRequest",
    "TimeLimitResult",
    "Trace",
    "UnknownParameter",
    "add_period",
    "compute_period",
    "is_working_day",
    "param",
    "parameters_in_force",
    "regime_for",
    "time_limit",
]
