"""The ``pactum`` command line (Typer); every group calls the same services as the API."""
