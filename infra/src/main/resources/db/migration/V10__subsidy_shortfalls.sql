-- Periods whose subsidy the reserve could not cover when they fell due.
CREATE TABLE subsidy_shortfall (
    loan_id       VARCHAR(64) NOT NULL,
    period        INTEGER     NOT NULL,
    fund_id       VARCHAR(64) NOT NULL,
    partner_id    VARCHAR(64) NOT NULL,
    due_minor     BIGINT      NOT NULL,
    reserve_minor BIGINT      NOT NULL,
    due_date      DATE        NOT NULL,
    PRIMARY KEY (loan_id, period)
);
