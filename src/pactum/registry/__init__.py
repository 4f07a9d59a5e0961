"""Registration of arrivals and screening (Screening Reg. (EU) 2024/1356, Eurodac Reg. (EU) 2024/1358)."""
