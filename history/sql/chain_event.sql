-- BEFORE INSERT on every history table: give the event its place in the chain.
--
-- A transaction's first event reads the head row and locks it (FOR UPDATE), so audited
-- transactions commit one at a time and the chain never forks. The events after it carry the
-- chain on in transaction-local settings (undone together with a rolled-back savepoint).
-- 'history.first_seq' remembers where the transaction began, so the commit trigger can tell
-- when it fires for the transaction's last event.
IF coalesce(current_setting('history.chain_seq', true), '') = '' THEN
    INSERT INTO history_chainhead (id, seq, hash) VALUES (1, 0, '')
        ON CONFLICT (id) DO NOTHING;
    SELECT seq, hash INTO head_seq, head_hash
        FROM history_chainhead WHERE id = 1 FOR UPDATE;
    PERFORM set_config('history.first_seq', (head_seq + 1)::text, true);
    PERFORM set_config('history.fired', '0', true);
ELSE
    head_seq := current_setting('history.chain_seq')::bigint;
    head_hash := current_setting('history.chain_hash');
END IF;
NEW.pgh_seq := head_seq + 1;
NEW.pgh_prev_hash := head_hash;
NEW.pgh_hash := audit_event_digest(head_hash, TG_TABLE_NAME::text, NEW);
PERFORM set_config('history.chain_seq', NEW.pgh_seq::text, true);
PERFORM set_config('history.chain_hash', NEW.pgh_hash, true);
RETURN NEW;
