"""Reception: the reception capacity and occupancy a Member State reports, and what the EU Asylum
Agency and the Commission read from it (annex item 8: "The EU Asylum Agency will develop an
overview ... and report regularly on the reception conditions for asylum seekers, including on
detention, in all Member States").

Pure domain code (no database, no web): the report's figures by type of facility
(:mod:`pactum.reception.model`), occupancy rates, changes, trends and pressure flags with their
legal basis (:mod:`pactum.reception.rules`), the CSV format of a batch of reports
(:mod:`pactum.reception.csvfile`) and the area's dated legal parameters
(:mod:`pactum.reception.params`).
"""
