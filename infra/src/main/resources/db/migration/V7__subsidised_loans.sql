-- Loans partner credit unions serve with the union paying (a share of) the interest. Only the
-- subsidy is on the union's books; these rows describe the partner's loan for the subsidy's sake.
CREATE TABLE subsidised_loan_view (
    loan_id         VARCHAR(64)   NOT NULL PRIMARY KEY,
    fund_id         VARCHAR(64)   NOT NULL,
    partner_id      VARCHAR(64)   NOT NULL,
    borrower_id     VARCHAR(64)   NOT NULL,
    principal_minor BIGINT        NOT NULL,
    currency        CHAR(3)       NOT NULL,
    annual_rate     NUMERIC(9, 6) NOT NULL,
    term_months     INTEGER       NOT NULL,
    method          VARCHAR(32)   NOT NULL,
    subsidy_share   NUMERIC(9, 6) NOT NULL,
    subsidy_cap_minor BIGINT      NOT NULL,
    subsidy_paid_minor BIGINT     NOT NULL DEFAULT 0,
    status          VARCHAR(16)   NOT NULL,
    end_reason      VARCHAR(32),
    ended_on        DATE,
    registered_on   DATE          NOT NULL
);
CREATE INDEX subsidised_loan_partner ON subsidised_loan_view (partner_id);

CREATE TABLE subsidised_instalment (
    loan_id         VARCHAR(64) NOT NULL,
    number          INTEGER     NOT NULL,
    due_date        DATE        NOT NULL,
    principal_minor BIGINT      NOT NULL,
    interest_minor  BIGINT      NOT NULL,
    PRIMARY KEY (loan_id, number)
);

CREATE TABLE subsidy_payment (
    transaction_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    loan_id        VARCHAR(64)  NOT NULL,
    fund_id        VARCHAR(64)  NOT NULL,
    partner_id     VARCHAR(64)  NOT NULL,
    period         INTEGER      NOT NULL,
    amount_minor   BIGINT       NOT NULL,
    currency       CHAR(3)      NOT NULL,
    value_date     DATE         NOT NULL,
    position       BIGINT       NOT NULL
);
CREATE INDEX subsidy_payment_partner ON subsidy_payment (partner_id, position);
