"""Read-only views: the dashboards' figures and the audit log."""
