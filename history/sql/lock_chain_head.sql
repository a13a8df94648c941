-- Lock the chain head for the rest of the transaction, before any other row lock.
--
-- Every audited write takes this lock anyway, from the chain trigger at its first event;
-- taking it first gives all writers one lock order (a PATCH locks its row, then the head; a new
-- judgement takes the head, then a foreign-key lock at commit: they would deadlock otherwise).
-- SECURITY DEFINER: the application's role may read the head but not lock it for update.
CREATE OR REPLACE FUNCTION history_lock_chain_head() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    INSERT INTO history_chainhead (id, seq, hash) VALUES (1, 0, '') ON CONFLICT (id) DO NOTHING;
    PERFORM 1 FROM history_chainhead WHERE id = 1 FOR UPDATE;
END
$$;
