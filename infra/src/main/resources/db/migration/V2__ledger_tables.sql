-- The command side's idempotency record: one row per accepted client transaction id, written in
-- the same transaction as the command's events.
CREATE TABLE client_transaction (
    client_transaction_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    command_name          VARCHAR(255) NOT NULL,
    content_hash          CHAR(64)     NOT NULL,
    actor                 VARCHAR(255) NOT NULL,
    outcome               TEXT,
    recorded_at           TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Read models. Every one of them can be emptied and rebuilt from the events.
CREATE TABLE union_body_view (
    body_id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    name      VARCHAR(500) NOT NULL,
    level     VARCHAR(32)  NOT NULL,
    parent_id VARCHAR(64)
);

CREATE TABLE partner_view (
    partner_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    name       VARCHAR(500) NOT NULL
);

CREATE TABLE fund_view (
    fund_id                  VARCHAR(64)  NOT NULL PRIMARY KEY,
    body_id                  VARCHAR(64)  NOT NULL,
    name                     VARCHAR(500) NOT NULL,
    purpose                  VARCHAR(32)  NOT NULL,
    currency                 CHAR(3)      NOT NULL,
    approval_threshold_minor BIGINT       NOT NULL,
    status                   VARCHAR(16)  NOT NULL,
    opened_on                DATE,
    closed_on                DATE
);

-- One balanced entry per financial event; position is the event's global index.
CREATE TABLE journal_entry (
    event_id                VARCHAR(255) NOT NULL PRIMARY KEY,
    position                BIGINT       NOT NULL,
    fund_id                 VARCHAR(64)  NOT NULL,
    transaction_id          VARCHAR(64)  NOT NULL,
    kind                    VARCHAR(32)  NOT NULL,
    value_date              DATE         NOT NULL,
    recorded_at             TIMESTAMPTZ  NOT NULL,
    reverses_transaction_id VARCHAR(64),
    description             VARCHAR(2000),
    actor                   VARCHAR(255),
    currency                CHAR(3)      NOT NULL,
    UNIQUE (fund_id, transaction_id)
);
CREATE INDEX journal_entry_fund_position ON journal_entry (fund_id, position);

-- Lines are signed: a debit is positive, a credit negative, so every entry sums to zero.
CREATE TABLE journal_line (
    event_id     VARCHAR(255) NOT NULL REFERENCES journal_entry (event_id),
    line_no      INTEGER      NOT NULL,
    fund_id      VARCHAR(64)  NOT NULL,
    account      VARCHAR(128) NOT NULL,
    amount_minor BIGINT       NOT NULL,
    value_date   DATE         NOT NULL,
    position     BIGINT       NOT NULL,
    PRIMARY KEY (event_id, line_no)
);
CREATE INDEX journal_line_fund_account_date ON journal_line (fund_id, account, value_date);
CREATE INDEX journal_line_fund_position ON journal_line (fund_id, position);

CREATE TABLE account_balance (
    fund_id       VARCHAR(64)  NOT NULL,
    account       VARCHAR(128) NOT NULL,
    balance_minor BIGINT       NOT NULL,
    currency      CHAR(3)      NOT NULL,
    position      BIGINT       NOT NULL,
    PRIMARY KEY (fund_id, account)
);

CREATE TABLE payout_view (
    payout_id       VARCHAR(64)  NOT NULL PRIMARY KEY,
    fund_id         VARCHAR(64)  NOT NULL,
    beneficiary_id  VARCHAR(64)  NOT NULL,
    category        VARCHAR(32)  NOT NULL,
    amount_minor    BIGINT       NOT NULL,
    currency        CHAR(3)      NOT NULL,
    status          VARCHAR(32)  NOT NULL,
    requested_by    VARCHAR(255) NOT NULL,
    approved_by     VARCHAR(255),
    reason          VARCHAR(500),
    decision_reason VARCHAR(500),
    requested_on    DATE         NOT NULL,
    requested_at    TIMESTAMPTZ  NOT NULL,
    paid_on         DATE
);
CREATE INDEX payout_view_fund_status ON payout_view (fund_id, status);
