"""The annex shipped with the product (``pactum/data/followup/``)."""

from __future__ import annotations

from importlib import resources

from pactum.followup.codec import load_yaml
from pactum.followup.model import Annex

SHIPPED = "annex-2023-06-23.yaml"


def shipped_text(name: str = SHIPPED) -> str:
    return resources.files("pactum.data").joinpath("followup", name).read_text(encoding="utf-8")


def shipped(name: str = SHIPPED) -> Annex:
    return load_yaml(shipped_text(name))
