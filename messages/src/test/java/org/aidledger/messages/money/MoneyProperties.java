package org.aidledger.messages.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class MoneyProperties {

    @Property
    void majorStringRoundTripsExactly(@ForAll @LongRange(min = -Money.TRANSACTION_MAX_MINOR,
            max = Money.TRANSACTION_MAX_MINOR) long minor) {
        Money money = Money.ofMinor(minor, "CNY");
        assertThat(Money.parse(new BigDecimal(money.toMajorString()), "CNY")).isEqualTo(money);
    }

    @Property
    void plusThenMinusIsIdentity(
            @ForAll @LongRange(min = 0, max = Money.TRANSACTION_MAX_MINOR) long a,
            @ForAll @LongRange(min = 0, max = Money.TRANSACTION_MAX_MINOR) long b) {
        Money x = Money.ofMinor(a, "CNY");
        Money y = Money.ofMinor(b, "CNY");
        assertThat(x.plus(y).minus(y)).isEqualTo(x);
    }
}
