-- The journal's lines no longer check their entry through a foreign key. Only the ledger
-- projection writes the journal, and it writes an entry and its lines in one transaction; the
-- key checked that again for each line, with a look-up and a row lock on the entry (the lines'
-- insert took 24.6 us a line with it and 13.4 us without, 400,000 lines on this machine). An
-- entry's uniqueness stays with its own primary key, and the auditor's replay compares both
-- tables, row for row, with a rebuild from the events, so a line without its entry would show
-- there as a difference.
ALTER TABLE journal_line DROP CONSTRAINT journal_line_event_id_fkey;
