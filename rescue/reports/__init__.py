"""Reports: the annual report, case exports and the dashboard's figures.

`periods` (fiscal years and ranges), `selectors` (case figures, no money; ages come from
`cases.ages`), `money` (the only reader of the ledger),
`report` (the annual report's shape), `writers` (CSV/XLSX), `exports` (case lists),
`charts` (server-drawn SVG bars).
"""
