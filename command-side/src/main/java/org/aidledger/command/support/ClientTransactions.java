package org.aidledger.command.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Makes every command idempotent by its client transaction id. It runs inside the command's unit
 * of work, so its row in {@code client_transaction} commits or rolls back together with the
 * events: a refused command leaves no row, and an accepted one leaves exactly one.
 *
 * <p>The row is inserted before the handler runs. A concurrent repeat of the same id blocks on the
 * primary key until the first transaction ends, then sees the committed row and answers with the
 * first outcome instead of handling the command again.
 */
public class ClientTransactions implements MessageHandlerInterceptor<CommandMessage<?>> {

    private static final String OUTCOMES = ClientTransactions.class.getName() + ".outcomes";

    /** Longest client transaction id accepted, in characters. */
    public static final int CLIENT_TRANSACTION_ID_LENGTH_MAX = 64;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    public ClientTransactions(JdbcTemplate jdbc, ObjectMapper json, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.json = json;
        this.meters = meters;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork,
            InterceptorChain chain) throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        Object id = command.getMetaData().get(Actor.CLIENT_TRANSACTION_ID);
        if (id == null) {
            // Commands raised inside the ledger (sagas, deadlines) carry no client id.
            return chain.proceed();
        }
        String clientTransactionId = id.toString();
        String actor = Actor.orSystem((String) command.getMetaData().get(Actor.KEY));
        String hash = contentHash(command, actor);
        int inserted = jdbc.update("INSERT INTO client_transaction (client_transaction_id,"
                + " command_name, content_hash, actor) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (client_transaction_id) DO NOTHING",
                clientTransactionId, command.getCommandName(), hash, actor);
        Map<String, String> outcomes = outcomesToWrite(unitOfWork);
        if (inserted == 0) {
            return firstOutcome(clientTransactionId, hash, outcomes);
        }
        Object result = chain.proceed();
        outcomes.put(clientTransactionId, result == null ? null : result.toString());
        unitOfWork.onRollback(u -> outcomes.remove(clientTransactionId));
        return result;
    }

    /**
     * The outcomes of the commands handled in this transaction, written in one batch just
     * before it commits: a group of commands (GroupCommit) shares one transaction, so this is
     * one statement for the group instead of one round trip per command.
     */
    private Map<String, String> outcomesToWrite(UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> root = unitOfWork.root();
        return root.getOrComputeResource(OUTCOMES, key -> {
            Map<String, String> outcomes = new LinkedHashMap<>();
            root.onPrepareCommit(u -> {
                if (!outcomes.isEmpty()) {
                    jdbc.batchUpdate("UPDATE client_transaction SET outcome = ?"
                            + " WHERE client_transaction_id = ?", outcomes.entrySet().stream()
                            .map(e -> new Object[] {e.getValue(), e.getKey()}).toList());
                }
            });
            return outcomes;
        });
    }

    private Object firstOutcome(String clientTransactionId, String hash,
            Map<String, String> outcomesToWrite) {
        List<String[]> rows = jdbc.query("SELECT content_hash, outcome, command_name"
                        + " FROM client_transaction WHERE client_transaction_id = ?",
                (rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)},
                clientTransactionId);
        String[] row = rows.get(0);
        if (!row[0].equals(hash)) {
            throw new RuleViolation(Rule.CLIENT_TRANSACTION_ID_REUSED, "client transaction id "
                    + clientTransactionId + " was already used for a different request ("
                    + simpleName(row[2]) + "); use a new id for a new transaction");
        }
        meters.counter("ledger.commands.repeated").increment();
        // A repeat within the same transaction finds the first outcome not yet written.
        return row[1] != null ? row[1] : outcomesToWrite.get(clientTransactionId);
    }

    private String contentHash(CommandMessage<?> command, String actor) {
        try {
            byte[] payload = json.writeValueAsBytes(command.getPayload());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(command.getCommandName().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(actor.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(payload);
            return HexFormat.of().formatHex(sha.digest());
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash command " + command.getCommandName(), e);
        }
    }

    private static String simpleName(String commandName) {
        return commandName.substring(commandName.lastIndexOf('.') + 1);
    }
}
