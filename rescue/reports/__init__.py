"""Reports: the annual report, case exports and the dashboard's figures.

`periods` (fiscal years and ranges), `selectors` (case figures, no money; ages come from
`cases.ages`), `money` (the only reader of the ledger),
`report` (the annual report's shape and its CSV/XLSX rows), `exports` (case lists), `views`.
Charts are drawn by `rescue.charts`, spreadsheets written by `rescue.spreadsheets`.
"""
