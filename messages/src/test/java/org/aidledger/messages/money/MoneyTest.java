package org.aidledger.messages.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.junit.jupiter.api.Test;

class MoneyTest {

    private static Rule ruleOf(Throwable t) {
        return ((RuleViolation) t).rule();
    }

    @Test
    void parsesMajorUnitsExactly() {
        assertThat(Money.parse(new BigDecimal("1000.50"), "CNY"))
                .isEqualTo(Money.ofMinor(100_050, "CNY"));
        assertThat(Money.parse(new BigDecimal("7"), "CNY")).isEqualTo(Money.ofMinor(700, "CNY"));
        assertThat(Money.parse(new BigDecimal("1500"), "JPY"))
                .isEqualTo(Money.ofMinor(1500, "JPY"));
    }

    @Test
    void refusesMoreDecimalsThanTheCurrencyHas() {
        assertThatThrownBy(() -> Money.parse(new BigDecimal("0.001"), "CNY"))
                .satisfies(t -> assertThat(ruleOf(t)).isEqualTo(Rule.AMOUNT_TOO_PRECISE));
        assertThatThrownBy(() -> Money.parse(new BigDecimal("1.5"), "JPY"))
                .satisfies(t -> assertThat(ruleOf(t)).isEqualTo(Rule.AMOUNT_TOO_PRECISE));
    }

    @Test
    void acceptsTrailingZerosBeyondTheDecimals() {
        assertThat(Money.parse(new BigDecimal("12.3400"), "CNY").amountMinor()).isEqualTo(1234);
    }

    @Test
    void refusesUnknownCurrency() {
        assertThatThrownBy(() -> Money.parse(BigDecimal.ONE, "XYZ1"))
                .satisfies(t -> assertThat(ruleOf(t)).isEqualTo(Rule.CURRENCY_UNKNOWN));
        assertThatThrownBy(() -> Money.ofMinor(1, "ABC"))
                .satisfies(t -> assertThat(ruleOf(t)).isEqualTo(Rule.CURRENCY_UNKNOWN));
    }

    @Test
    void transactionAmountsArePositiveAndBounded() {
        assertThatThrownBy(() -> Money.ofMinor(0, "CNY").requireTransactionAmount())
                .satisfies(t -> assertThat(ruleOf(t)).isEqualTo(Rule.AMOUNT_NOT_POSITIVE));
        assertThatThrownBy(() -> Money.ofMinor(-1, "CNY").requireTransactionAmount())
                .satisfies(t -> assertThat(ruleOf(t)).isEqualTo(Rule.AMOUNT_NOT_POSITIVE));
        assertThatThrownBy(() -> Money.ofMinor(Money.TRANSACTION_MAX_MINOR + 1, "CNY")
                .requireTransactionAmount())
                .satisfies(t -> assertThat(ruleOf(t)).isEqualTo(Rule.AMOUNT_TOO_LARGE));
        assertThat(Money.ofMinor(Money.TRANSACTION_MAX_MINOR, "CNY").requireTransactionAmount()
                .amountMinor()).isEqualTo(Money.TRANSACTION_MAX_MINOR);
    }

    @Test
    void amountsBeyondAnyLongAreTooLarge() {
        assertThatThrownBy(() -> Money.parse(new BigDecimal("1e30"), "CNY"))
                .satisfies(t -> assertThat(ruleOf(t)).isEqualTo(Rule.AMOUNT_TOO_LARGE));
    }

    @Test
    void arithmeticOverflowIsAnError() {
        Money big = Money.ofMinor(Long.MAX_VALUE, "CNY");
        assertThatThrownBy(() -> big.plus(Money.ofMinor(1, "CNY")))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.ofMinor(Long.MIN_VALUE, "CNY").negate())
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void currenciesDoNotMix() {
        assertThatThrownBy(() -> Money.ofMinor(1, "CNY").plus(Money.ofMinor(1, "USD")))
                .satisfies(t -> assertThat(ruleOf(t)).isEqualTo(Rule.CURRENCY_MISMATCH));
    }

    @Test
    void formatsMajorUnits() {
        assertThat(Money.ofMinor(100_050, "CNY").toMajorString()).isEqualTo("1000.50");
        assertThat(Money.ofMinor(-5, "CNY").toMajorString()).isEqualTo("-0.05");
        assertThat(Money.ofMinor(0, "CNY").toMajorString()).isEqualTo("0.00");
        assertThat(Money.ofMinor(1500, "JPY").toMajorString()).isEqualTo("1500");
    }
}
