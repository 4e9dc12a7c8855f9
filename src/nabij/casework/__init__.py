"""Casework of the one desk (loket): thuiszitters, vrijstellingen, doorzettingsmacht and the
doorbraakbudget, as plain rules on plain data (no Django; the web app ``nabij.web.casus``
persists and shows them). See ARCHITECTURE.md and docs/casework-export.md."""
