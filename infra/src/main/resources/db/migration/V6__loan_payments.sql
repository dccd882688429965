-- What each repayment paid towards each instalment, with its value date, so that arrears can be
-- reported as of any date.
CREATE TABLE loan_payment (
    event_id        VARCHAR(255) NOT NULL,
    loan_id         VARCHAR(64)  NOT NULL,
    number          INTEGER      NOT NULL,
    value_date      DATE         NOT NULL,
    principal_minor BIGINT       NOT NULL,
    interest_minor  BIGINT       NOT NULL,
    PRIMARY KEY (event_id, number)
);
CREATE INDEX loan_payment_loan ON loan_payment (loan_id, value_date);
