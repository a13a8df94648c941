"""Reports for leads, donors and auditors: each one a selector plus a renderer.

A report turns validated parameters into tables (computed with SQL aggregates, so the number
of queries does not grow with the data). The same tables feed the HTML page, the CSV
download and the JSON endpoint, and a content hash over parameters and tables lets a reader
check that a rerun gives the same report.
"""
