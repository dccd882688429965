package org.aidledger.messages.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;

/**
 * An exact amount of money: a count of minor units (fen for CNY) in one currency. Arithmetic uses
 * {@link Math#addExact} so an overflow is an error instead of a silently wrong balance.
 */
public record Money(long amountMinor, String currency) {

    /** The largest amount one transaction may carry: 1,000,000,000.00 in a two-decimal currency. */
    public static final long TRANSACTION_MAX_MINOR = 100_000_000_000L;

    public Money {
        Objects.requireNonNull(currency, "currency");
        checkCurrency(currency);
    }

    public static Money zero(String currency) {
        return new Money(0, currency);
    }

    public static Money ofMinor(long amountMinor, String currency) {
        return new Money(amountMinor, currency);
    }

    /**
     * Parses an amount given in major units ("1000.50") into minor units, refusing more decimals
     * than the currency has. It does not judge the sign or size; {@link #requireTransactionAmount}
     * does.
     */
    public static Money parse(BigDecimal major, String currency) {
        if (major == null) {
            throw new RuleViolation(Rule.AMOUNT_MISSING, "an amount is required");
        }
        if (currency == null || currency.isBlank()) {
            throw new RuleViolation(Rule.CURRENCY_UNKNOWN, "a currency is required");
        }
        int digits = checkCurrency(currency).getDefaultFractionDigits();
        BigDecimal minor;
        try {
            minor = major.setScale(Math.max(digits, 0), RoundingMode.UNNECESSARY)
                    .movePointRight(Math.max(digits, 0));
        } catch (ArithmeticException e) {
            throw new RuleViolation(Rule.AMOUNT_TOO_PRECISE,
                    "amount " + major.toPlainString() + " has more than " + digits
                            + " decimals, the most " + currency + " allows");
        }
        try {
            return new Money(minor.longValueExact(), currency);
        } catch (ArithmeticException e) {
            throw new RuleViolation(Rule.AMOUNT_TOO_LARGE,
                    "amount " + major.toPlainString() + " is above the maximum of "
                            + new Money(TRANSACTION_MAX_MINOR, currency).toMajorString());
        }
    }

    private static Currency checkCurrency(String code) {
        try {
            Currency c = Currency.getInstance(code);
            if (c.getDefaultFractionDigits() < 0) {
                throw new IllegalArgumentException("pseudo currency");
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw new RuleViolation(Rule.CURRENCY_UNKNOWN,
                    "'" + code + "' is not an ISO 4217 currency code");
        }
    }

    /** Checks that this is a valid amount for one transaction: positive and within the maximum. */
    public Money requireTransactionAmount() {
        if (amountMinor <= 0) {
            throw new RuleViolation(Rule.AMOUNT_NOT_POSITIVE,
                    "amount must be positive, was " + toMajorString());
        }
        if (amountMinor > TRANSACTION_MAX_MINOR) {
            throw new RuleViolation(Rule.AMOUNT_TOO_LARGE,
                    "amount " + toMajorString() + " is above the maximum of "
                            + new Money(TRANSACTION_MAX_MINOR, currency).toMajorString());
        }
        return this;
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(amountMinor, other.amountMinor), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(amountMinor, other.amountMinor), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(amountMinor), currency);
    }

    public boolean belowZero() {
        return amountMinor < 0;
    }

    public boolean isGreaterThan(Money other) {
        requireSameCurrency(other);
        return amountMinor > other.amountMinor;
    }

    public void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new RuleViolation(Rule.CURRENCY_MISMATCH,
                    "currency " + other.currency + " does not match " + currency);
        }
    }

    /** The amount in major units with the currency's decimals, e.g. "1000.50". */
    public String toMajorString() {
        return toMajorString(amountMinor, currency);
    }

    public static String toMajorString(long amountMinor, String currency) {
        int digits = Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
        return BigDecimal.valueOf(amountMinor, digits).toPlainString();
    }

    @Override
    public String toString() {
        return toMajorString() + " " + currency;
    }
}
