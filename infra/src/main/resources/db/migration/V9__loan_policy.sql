-- A fund's loan policy and the penalty accrued on each loan.
ALTER TABLE fund_view ADD COLUMN penalty_annual_rate NUMERIC(9, 6) NOT NULL DEFAULT 0;
ALTER TABLE fund_view ADD COLUMN allocation_order VARCHAR(32) NOT NULL
    DEFAULT 'PENALTY_INTEREST_PRINCIPAL';
ALTER TABLE loan_view ADD COLUMN penalty_accrued_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE loan_view ADD COLUMN penalty_paid_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE loan_view ADD COLUMN penalty_through DATE;
