-- AFTER INSERT on every history table, deferred to commit: fires once per event of the
-- transaction, after the foreign-key checks queued before it.
--
-- Only the firing for the transaction's last event works: it moves the head row (locked since
-- the first event) to the last event, and stamps the transaction's commit time in
-- history_commit. "Known at K" means "committed by K": events stamped by their transaction's
-- start could otherwise appear at K long after K was asked about.
--
-- The shared advisory lock, held until the commit is visible, lets a reader wait for commits
-- that are stamped but not yet visible (history.moments.moment_at takes it exclusively).
-- greatest() keeps the stamps in chain order should the clock step back.
fired := current_setting('history.fired')::bigint + 1;
PERFORM set_config('history.fired', fired::text, true);
last_seq := current_setting('history.chain_seq')::bigint;
IF fired = last_seq - current_setting('history.first_seq')::bigint + 1 THEN
    PERFORM pg_advisory_xact_lock_shared(COMMIT_LOCK_KEY);
    UPDATE history_chainhead
        SET seq = last_seq, hash = current_setting('history.chain_hash')
        WHERE id = 1;
    INSERT INTO history_commit (seq, committed_at)
        SELECT last_seq, greatest(clock_timestamp(), max(committed_at)) FROM history_commit;
END IF;
RETURN NULL;
