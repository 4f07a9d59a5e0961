"""Identity resolution: one person across records and Member States (pure domain)."""
