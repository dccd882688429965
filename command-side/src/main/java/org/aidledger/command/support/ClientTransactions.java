package org.aidledger.command.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
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
        if (inserted == 0) {
            return firstOutcome(clientTransactionId, hash);
        }
        Object result = chain.proceed();
        jdbc.update("UPDATE client_transaction SET outcome = ? WHERE client_transaction_id = ?",
                result == null ? null : result.toString(), clientTransactionId);
        return result;
    }

    private Object firstOutcome(String clientTransactionId, String hash) {
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
        return row[1];
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
