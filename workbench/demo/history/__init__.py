"""The seeded history: every Level-1 document from go-live to the history's last day, org-month by org-month."""
