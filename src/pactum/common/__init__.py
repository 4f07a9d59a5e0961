"""Shared vocabulary of every area: states, countries, partial dates, ids, errors, clocks. No I/O."""
