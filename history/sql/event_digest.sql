-- The hash of one history event, chained to the one before it.
--
-- Used by the chain trigger when an event is written and by verify_audit when it checks the
-- trail. The event is hashed as JSON without its own two hash columns. SET TimeZone pins how
-- timestamps are written, so the hash does not depend on the session that wrote the row.
CREATE OR REPLACE FUNCTION audit_event_digest(prev text, tbl text, r anyelement)
RETURNS text LANGUAGE sql STABLE SET TimeZone = 'UTC' AS $$
    SELECT encode(sha256(convert_to(
        coalesce(prev, '') || '|' || tbl || '|' ||
        (to_jsonb(r) - 'pgh_hash' - 'pgh_prev_hash')::text, 'UTF8')), 'hex')
$$;
