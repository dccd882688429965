package org.aidledger.command.support;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleDetails;
import org.aidledger.messages.rules.RuleViolation;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The one way the REST layer sends commands: it attaches the acting user and the client
 * transaction id, counts accepted and refused commands by rule, and turns whatever Axon throws
 * into a {@link RuleViolation} where a rule was broken.
 */
@Component
public class LedgerCommands {

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,"
            + ClientTransactions.CLIENT_TRANSACTION_ID_LENGTH_MAX + "}");

    private final GroupCommit groupCommit;
    private final MeterRegistry meters;

    public LedgerCommands(GroupCommit groupCommit, MeterRegistry meters) {
        this.groupCommit = groupCommit;
        this.meters = meters;
    }

    /** Checks the shape of a client transaction id, refusing a missing or malformed one. */
    public static String requireClientTransactionId(String clientTransactionId) {
        if (clientTransactionId == null || clientTransactionId.isBlank()) {
            throw new RuleViolation(Rule.CLIENT_TRANSACTION_ID_MISSING,
                    "every write needs a Client-Transaction-Id header");
        }
        if (!CLIENT_ID.matcher(clientTransactionId).matches()) {
            throw new RuleViolation(Rule.CLIENT_TRANSACTION_ID_MISSING,
                    "Client-Transaction-Id must be 1 to "
                            + ClientTransactions.CLIENT_TRANSACTION_ID_LENGTH_MAX
                            + " characters of letters, digits and . _ : -");
        }
        return clientTransactionId;
    }

    /**
     * The ledger's own id for the transaction a client transaction id creates. Derived, not
     * random, so that a repeat of the same request is the same command to the letter.
     */
    public static String transactionIdFor(String clientTransactionId) {
        return UUID.nameUUIDFromBytes(("aid-ledger/tx/" + clientTransactionId)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    public Object send(Object command, String clientTransactionId) {
        requireClientTransactionId(clientTransactionId);
        MetaData metaData = MetaData.from(Map.of(
                Actor.KEY, currentUser(),
                Actor.CLIENT_TRANSACTION_ID, clientTransactionId));
        String name = command.getClass().getSimpleName();
        try {
            Object result = groupCommit.sendAndWait(
                    GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
            meters.counter("ledger.commands.accepted", "command", name).increment();
            return result;
        } catch (RuntimeException e) {
            RuleViolation violation = asViolation(e);
            if (violation == null) {
                throw e;
            }
            meters.counter("ledger.commands.refused", "command", name,
                    "rule", violation.rule().name()).increment();
            throw violation;
        }
    }

    private static String currentUser() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null ? Actor.orSystem(null) : auth.getName();
    }

    /** Finds the rule behind an exception, however Axon wrapped it; null when none was broken. */
    static RuleViolation asViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RuleViolation rv) {
                return rv;
            }
            if (t instanceof CommandExecutionException cee) {
                Object details = cee.getDetails().orElse(null);
                if (details instanceof RuleDetails rd) {
                    return new RuleViolation(Rule.valueOf(rd.rule()), rd.message());
                }
            }
            if (t instanceof AggregateNotFoundException anf) {
                return new RuleViolation(Rule.FUND_NOT_FOUND,
                        "fund " + anf.getAggregateIdentifier() + " does not exist");
            }
            if (t instanceof ConcurrencyException) {
                return new RuleViolation(Rule.CONCURRENT_MODIFICATION,
                        "another transaction changed the same record at the same moment; retry");
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
