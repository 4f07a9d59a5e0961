"""Free text that says there is nothing: the answers an officer types in a screening's points when
there is nothing to record ("none identified", "n/a", "not applicable", "nothing found", "none
observed", "no special needs").

One definition for every area that reads the screening form's free text (Regulation (EU)
2024/1356, Article 17(1)): the reception area counts a screening's point (e) as recording special
reception needs unless it says there are none, and the responsibility area skips a point that says
there is nothing to check. A text is read case-blind, its full stops, commas, semicolons and runs
of blanks taken as single blanks.

- :data:`NOTHING`: the plain statements of nothing (``none``, ``nil``, ``no``, ``n/a``, ``-``,
  ``nothing``, ``not identified``, ``not applicable``, ...), optionally followed by a word saying
  how (``identified``, ``found``, ``observed``, ...): "none observed", "nothing found".
- :data:`NO_NEEDS`: no needs or vulnerability ("no special reception needs identified", "no
  vulnerabilities").
- :data:`NO_FAMILY`: no family ("no family members"), for the point on family members.
"""

from __future__ import annotations

import re

#: How a statement of nothing may end: "none *identified*", "nothing *found*", "none *observed*".
HOW = r"(?: (?:identified|found|known|observed|detected|recorded|apparent|reported))?"
#: The plain statements of nothing.
NOTHING = (r"(?:none|nil|no|n(?:/| )?a|[-\u2013\u2014]+|nothing"
           r"|not (?:identified|found|known|observed|detected|applicable))" + HOW)
#: No (special, particular, specific; reception or procedural) needs or vulnerability.
NO_NEEDS = (r"no (?:special |particular |specific )?(?:(?:reception|procedural) )?"
            r"(?:needs?|vulnerabilit(?:y|ies))" + HOW)
#: No family (members).
NO_FAMILY = r"no family(?: members?)?" + HOW


def words(text: str | None) -> str:
    """``text`` as the statements are matched: lower case, full stops, commas, semicolons and
    blanks taken as single blanks, no blank at either end."""
    return re.sub(r"[\s.;,]+", " ", (text or "").lower()).strip()


def is_blank(text: str | None) -> bool:
    """Nothing was written (``None``, empty, or blanks and punctuation only)."""
    return not words(text)


def says_nothing(text: str | None, *subjects: str) -> bool:
    """Whether ``text``, written, is a statement that there is nothing: one of :data:`NOTHING`, or
    one of ``subjects`` (:data:`NO_NEEDS`, :data:`NO_FAMILY`). A blank text says nothing either way
    (``False``): :func:`is_blank` tells it."""
    said = words(text)
    return bool(said) and re.fullmatch("|".join((NOTHING, *subjects)), said) is not None
