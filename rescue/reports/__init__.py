"""The roof of the house: the home page's dashboard, the annual report and case exports.

The only part of `rescue` that reads `cases` and `funds` (pyproject.toml, import-linter).

`dashboard` (the home page's panels), `periods` (fiscal years and ranges), `selectors`
(case figures, no money; ages come from `cases.ages`), `money` (the only reader of the
ledger), `report` (the annual report's shape and its CSV/XLSX rows), `exports` (case
lists), `views`.
Charts are drawn by `rescue.charts`, spreadsheets written by `rescue.spreadsheets`.
"""
