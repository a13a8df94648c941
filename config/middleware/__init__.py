"""Request plumbing shared by every page, report and API route."""
