"""Responsibility determination (Dublin III and AMMR) and the procedure between Member States.

Pure domain: the criteria engine (:mod:`.criteria`), its JSON contract (:mod:`.schemas`,
:mod:`.determination`), the take-charge / take-back / transfer state machine (:mod:`.procedure`)
and cessation of responsibility (:mod:`.cessation`). Storage, rights and audit are in
:mod:`pactum.services.responsibility`.
"""

from .criteria import determine
from .model import CRITERIA, Determination, Facts

__all__ = ["CRITERIA", "Determination", "Facts", "determine"]
