"""Reference data shipped with Pactum, one folder per area, each with its attribution README."""
