-- Defaults for every connection to this database, whoever opens it (the application, its
-- commands, an importer's COPY, psql), and whatever sits between (PgBouncer drops startup
-- options).
--
-- jit = off: LLVM compilation made millisecond report queries take seconds.
-- pgtrigger.ignore = '{}': every pgtrigger trigger first asks whether it is ignored, reading
-- this setting inside an EXCEPTION block; unset, the read fails and rolls back a
-- subtransaction per row, and each rollback walks the whole queue of deferred triggers
-- (the audit commit trigger, foreign-key checks): big audited writes became quadratic.
-- Set to the empty list, the read succeeds and nothing is rolled back.
--
-- No format() with percent signs: Django passes this text with parameters when an audit
-- context is open, and the driver would read them as placeholders.
DO $$
DECLARE
    this_database text := quote_ident(current_database());
BEGIN
    EXECUTE 'ALTER DATABASE ' || this_database || ' SET jit = off';
    EXECUTE 'ALTER DATABASE ' || this_database || ' SET pgtrigger.ignore = ''{}''';
END
$$;
