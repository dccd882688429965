-- Closed periods and their frozen closing balances. Once a period is closed nothing can be dated
-- in it, so these rows stay equal to the balances as of its last day.
CREATE TABLE period_close (
    fund_id        VARCHAR(64)  NOT NULL,
    period         CHAR(7)      NOT NULL,
    closed_through DATE         NOT NULL,
    closed_at      TIMESTAMPTZ  NOT NULL,
    position       BIGINT       NOT NULL,
    actor          VARCHAR(255),
    PRIMARY KEY (fund_id, period)
);

CREATE TABLE period_statement (
    fund_id       VARCHAR(64)  NOT NULL,
    period        CHAR(7)      NOT NULL,
    account       VARCHAR(128) NOT NULL,
    balance_minor BIGINT       NOT NULL,
    PRIMARY KEY (fund_id, period, account)
);
