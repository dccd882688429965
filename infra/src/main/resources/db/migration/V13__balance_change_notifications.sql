-- Every change to the rows a fund's balances are read from (account_balance, payout_view,
-- fund_view) is announced on the channel aid_ledger_balances when its transaction commits:
-- NOTIFY is delivered at commit and never for a transaction rolled back. The payload is the
-- ids of the funds changed, separated by spaces (an id holds no space: Ids.RULE_TEXT), or '*'
-- for "any fund" (a table emptied, or more ids than a payload holds). Each node keeps the
-- balances it last read in memory (BalanceCache) and drops a fund's when its id is announced,
-- whichever node or session made the change: the projections of every node, and an operator's
-- hand-made correction alike.
--
-- Statement triggers with transition tables: one notification a statement, whatever its rows
-- (a payout batch's part inserts a thousand payout rows in one statement). PostgreSQL allows a
-- transition table only on a trigger of one event, hence one trigger per event and table.

CREATE FUNCTION notify_balances_changed_new() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    funds TEXT;
BEGIN
    SELECT string_agg(DISTINCT fund_id, ' ') INTO funds FROM changed_rows;
    IF funds IS NOT NULL THEN
        -- A payload holds less than 8,000 bytes.
        PERFORM pg_notify('aid_ledger_balances',
                CASE WHEN octet_length(funds) > 7000 THEN '*' ELSE funds END);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION notify_balances_changed_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('aid_ledger_balances', '*');
    RETURN NULL;
END
$$;

CREATE TRIGGER account_balance_inserted AFTER INSERT ON account_balance
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_balances_changed_new();
CREATE TRIGGER account_balance_updated AFTER UPDATE ON account_balance
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_balances_changed_new();
CREATE TRIGGER account_balance_deleted AFTER DELETE ON account_balance
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_balances_changed_new();
CREATE TRIGGER account_balance_truncated AFTER TRUNCATE ON account_balance
    FOR EACH STATEMENT EXECUTE FUNCTION notify_balances_changed_all();

CREATE TRIGGER payout_view_inserted AFTER INSERT ON payout_view
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_balances_changed_new();
CREATE TRIGGER payout_view_updated AFTER UPDATE ON payout_view
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_balances_changed_new();
CREATE TRIGGER payout_view_deleted AFTER DELETE ON payout_view
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_balances_changed_new();
CREATE TRIGGER payout_view_truncated AFTER TRUNCATE ON payout_view
    FOR EACH STATEMENT EXECUTE FUNCTION notify_balances_changed_all();

-- A fund's row gives its balances' currency and whether it exists at all.
CREATE TRIGGER fund_view_updated AFTER UPDATE ON fund_view
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_balances_changed_new();
CREATE TRIGGER fund_view_deleted AFTER DELETE ON fund_view
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_balances_changed_new();
CREATE TRIGGER fund_view_truncated AFTER TRUNCATE ON fund_view
    FOR EACH STATEMENT EXECUTE FUNCTION notify_balances_changed_all();
