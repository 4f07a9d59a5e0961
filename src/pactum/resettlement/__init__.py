"""Resettlement and humanitarian admission (Regulation (EU) 2024/1350): plans, pledges,
admissions and their rules, pure Python (no store, no framework)."""
