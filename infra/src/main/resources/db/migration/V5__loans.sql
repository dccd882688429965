-- Direct microloans and their schedules. A schedule version replaces the instalments from its
-- first number on; the rows it replaces stay, marked with the version that superseded them.
CREATE TABLE loan_view (
    loan_id                     VARCHAR(64)  NOT NULL PRIMARY KEY,
    fund_id                     VARCHAR(64)  NOT NULL,
    borrower_id                 VARCHAR(64)  NOT NULL,
    principal_minor             BIGINT       NOT NULL,
    currency                    CHAR(3)      NOT NULL,
    annual_rate                 NUMERIC(9, 6) NOT NULL,
    term_months                 INTEGER      NOT NULL,
    method                      VARCHAR(32)  NOT NULL,
    purpose                     VARCHAR(500),
    status                      VARCHAR(16)  NOT NULL,
    applied_by                  VARCHAR(255) NOT NULL,
    decided_by                  VARCHAR(255),
    applied_on                  DATE         NOT NULL,
    disbursed_on                DATE,
    closed_on                   DATE,
    outstanding_principal_minor BIGINT       NOT NULL DEFAULT 0,
    schedule_version            INTEGER      NOT NULL DEFAULT 0
);
CREATE INDEX loan_view_fund ON loan_view (fund_id, status);

CREATE TABLE loan_instalment (
    loan_id              VARCHAR(64) NOT NULL,
    version              INTEGER     NOT NULL,
    number               INTEGER     NOT NULL,
    due_date             DATE        NOT NULL,
    principal_minor      BIGINT      NOT NULL,
    interest_minor       BIGINT      NOT NULL,
    principal_paid_minor BIGINT      NOT NULL DEFAULT 0,
    interest_paid_minor  BIGINT      NOT NULL DEFAULT 0,
    superseded_by        INTEGER,
    PRIMARY KEY (loan_id, version, number)
);
