"""HTTP headers the audit trail reads; shared by the API and the audit middleware."""

REASON_HEADER = "X-Change-Reason"
REQUEST_ID_HEADER = "X-Request-ID"
