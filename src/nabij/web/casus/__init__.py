"""The one desk (loket) in the workspace: cases, advices, decisions, the doorbraakbudget and the
read log. The rules live in :mod:`nabij.casework`; this app persists and shows them."""
