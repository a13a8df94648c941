"""REST plumbing shared by both apps: errors, permissions, pagination, ETags.

It lives in config/ because it is wiring: it holds no models and knows no domain rules, so
both agreements and tracker may import it without breaking the one direction between them.
"""
