package org.aidledger.command.support;

import java.util.List;
import java.util.concurrent.Callable;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.axonframework.config.Configuration;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers whether an aggregate exists, for commands that must check another aggregate (a fund's
 * owning body, a reserve's partner) inside the same unit of work and transaction.
 *
 * <p>Axon's event table keys events by aggregate id alone, whatever the aggregate's type, so an id
 * is taken once across all types: a fund cannot share its id with a union body.
 */
@Component
public class Existence {

    private final Configuration axon;
    private final JdbcTemplate jdbc;

    public Existence(@Lazy Configuration axon, JdbcTemplate jdbc) {
        this.axon = axon;
        this.jdbc = jdbc;
    }

    /** The aggregate type that owns an id, or null when the id is unused. */
    public String typeOf(String id) {
        List<String> types = jdbc.queryForList("SELECT type FROM domainevententry"
                + " WHERE aggregateidentifier = ? AND sequencenumber = 0", String.class, id);
        return types.isEmpty() ? null : types.get(0);
    }

    public boolean exists(Class<?> type, String id) {
        return id != null && !id.isBlank() && type.getSimpleName().equals(typeOf(id));
    }

    /** Refuses an id that any aggregate already uses. */
    public void requireUnused(String id, Rule rule, String what) {
        String owner = typeOf(id);
        if (owner != null) {
            throw new RuleViolation(rule, what + " " + id + " already exists"
                    + (owner.equalsIgnoreCase(what.replace(" ", "")) ? ""
                    : " (the id is used by a " + owner + ")"));
        }
    }

    public <T> Aggregate<T> load(Class<T> type, String id, Rule notFound, String what) {
        if (id == null || id.isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, what + " id is required");
        }
        if (!exists(type, id)) {
            throw new RuleViolation(notFound, what + " " + id + " does not exist");
        }
        try {
            return repository(type).load(id);
        } catch (AggregateNotFoundException e) {
            throw new RuleViolation(notFound, what + " " + id + " does not exist");
        }
    }

    public <T> void create(Class<T> type, Callable<T> factory) {
        try {
            repository(type).newInstance(factory);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> Repository<T> repository(Class<T> type) {
        return axon.repository(type);
    }
}
