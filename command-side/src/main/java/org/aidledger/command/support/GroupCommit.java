package org.aidledger.command.support;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Commits the commands of concurrent requests together: one database transaction, one append
 * of their events, one link of the audit chain and one commit (one flush of the write-ahead log)
 * for a group, instead of one of each per command. Before, every command took the chain's head
 * lock and held it through its own commit, so commits queued behind each other one flush at a
 * time.
 *
 * <p>A writer thread takes whatever commands are waiting (up to
 * {@code ledger.command.group-commit.max-commands}) and handles each in a unit of work nested in
 * one for the group, in the order they arrived; a fund touched twice in a group is the same
 * in-memory fund, so the second command sees the first one's effect. The funds' versions in the
 * event store are read for the whole group in one statement, and the client transaction
 * outcomes written in one batch. No caller is answered before the group has committed: an
 * acknowledged command is on disk, as before.
 *
 * <p>When any command of a group is refused or fails, the group's transaction is rolled back
 * whole, so nothing of the refused command remains and no command decided on state the refusal
 * undid (the funds it touched are dropped from the cache). The commands before it are then
 * committed again as a group, the refused one is handled alone (and so refused alone, with
 * its rule, exactly as without grouping), and the rest go on as a new group. A group whose
 * commit fails (another node appended to one of its funds, the database went away) is handled
 * again one command at a time; the client transaction ids make that safe even where the commit
 * did happen. Axon's command-bus metrics ({@code commandBus_*}) count handlings, so a command
 * handled again this way counts twice there; {@code ledger.commands.accepted} and
 * {@code .refused} count one outcome per request.
 *
 * <p>A command that finds no other waiting is handled by the writer in a transaction of its
 * own. A command sent from inside another unit of work, and every command while grouping is
 * switched off ({@code ledger.command.group-commit.enabled=false}), is handled on the caller's
 * thread exactly as Axon's command gateway does.
 */
@Component
public class GroupCommit implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final CommandBus commandBus;
    private final CommandGateway gateway;
    private final TransactionManager transactions;
    private final CheckedAggregateCache fundCache;
    private final CommandTargetResolver commandTargets;
    private final int maxCommands;
    private final boolean enabled;
    private final DistributionSummary groupSizes;
    private final LinkedBlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    public GroupCommit(CommandBus commandBus, CommandGateway gateway,
            TransactionManager transactions, MeterRegistry meters,
            CheckedAggregateCache fundCache,
            @Qualifier("commandTargets") CommandTargetResolver commandTargets,
            @Value("${ledger.command.group-commit.enabled:true}") boolean enabled,
            @Value("${ledger.command.group-commit.max-commands:64}") int maxCommands) {
        if (maxCommands < 1) {
            throw new IllegalArgumentException(
                    "ledger.command.group-commit.max-commands must be at least 1");
        }
        this.commandBus = commandBus;
        this.gateway = gateway;
        this.fundCache = fundCache;
        this.commandTargets = commandTargets;
        this.transactions = transactions;
        this.enabled = enabled;
        this.maxCommands = maxCommands;
        this.groupSizes = DistributionSummary.builder("ledger.commands.group.size")
                .description("commands taken together by the group-commit writer")
                .register(meters);
        this.writer = new Thread(this::write, "command-group-commit");
        this.writer.setDaemon(true);
        if (enabled) {
            this.writer.start();
        }
    }

    /**
     * Handles the command and returns its result once it is committed, or throws what Axon's
     * {@link CommandGateway#sendAndWait} would throw for it.
     */
    public Object sendAndWait(CommandMessage<?> command) {
        if (!enabled || !running || CurrentUnitOfWork.isStarted()) {
            return gateway.sendAndWait(command);
        }
        Pending pending = new Pending(command);
        waiting.add(pending);
        if (!running && waiting.remove(pending)) {
            // The writer stopped between the check and the add and will not see this one.
            return gateway.sendAndWait(command);
        }
        CommandResultMessage<?> result;
        try {
            result = pending.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandExecutionException("interrupted while waiting for the command", e);
        } catch (ExecutionException e) {
            throw new CommandExecutionException("the command could not be handled", e.getCause());
        }
        if (result.isExceptional()) {
            Throwable cause = result.exceptionResult();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CommandExecutionException("An exception occurred while executing a command",
                    cause);
        }
        return result.getPayload();
    }

    /** Commands waiting for the writer (for tests). */
    public int waiting() {
        return waiting.size();
    }

    private void write() {
        List<Pending> group = new ArrayList<>(maxCommands);
        while (running || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                waiting.drainTo(group, maxCommands - 1);
                groupSizes.record(group.size());
                handle(group);
            } catch (InterruptedException e) {
                // Asked to stop: take no new commands, but answer those already waiting.
                running = false;
            } catch (Throwable t) {
                log.error("group commit failed unexpectedly; answering its commands with the"
                        + " failure", t);
                for (Pending p : group) {
                    p.result.completeExceptionally(t);
                }
            } finally {
                group.clear();
            }
        }
    }

    /** Commits the commands, in their order, as few groups as their refusals allow. */
    private void handle(List<Pending> commands) {
        int from = 0;
        while (from < commands.size()) {
            List<Pending> rest = commands.subList(from, commands.size());
            if (rest.size() == 1) {
                alone(rest.get(0));
                return;
            }
            int refused = together(rest);
            if (refused == ALL_COMMITTED) {
                return;
            }
            if (refused == COMMIT_FAILED) {
                rest.forEach(this::alone);
                return;
            }
            if (refused > 0) {
                handle(rest.subList(0, refused));
            }
            alone(rest.get(refused));
            from += refused + 1;
        }
    }

    private static final int ALL_COMMITTED = -1;
    private static final int COMMIT_FAILED = -2;

    /**
     * Handles the commands in one transaction. Returns {@link #ALL_COMMITTED} after answering
     * every one of them; otherwise answers none and returns the index of the first command that
     * was refused, or {@link #COMMIT_FAILED}.
     */
    private int together(List<Pending> commands) {
        if (commands.size() == 1) {
            alone(commands.get(0));
            return ALL_COMMITTED;
        }
        List<CommandResultMessage<?>> results = new ArrayList<>(commands.size());
        UnitOfWork<?> group = DefaultUnitOfWork.startAndGet(commands.get(0).command);
        try {
            group.attachTransaction(transactions);
            fundCache.readVersionsFor(targetsOf(commands));
            for (int i = 0; i < commands.size(); i++) {
                CommandResultMessage<?> result = dispatch(commands.get(i).command);
                if (result.isExceptional()) {
                    group.rollback(result.exceptionResult());
                    return i;
                }
                results.add(result);
            }
            group.commit();
        } catch (RuntimeException | Error e) {
            // Never leave the group's unit of work behind on this thread: the next group would
            // nest in it and "commit" into a transaction that never commits.
            if (group.isActive()) {
                group.rollback(e);
            }
            if (e instanceof Error error) {
                throw error;
            }
            log.debug("group of {} commands not committed; handling them one by one",
                    commands.size(), e);
            return COMMIT_FAILED;
        }
        for (int i = 0; i < commands.size(); i++) {
            commands.get(i).result.complete(results.get(i));
        }
        return ALL_COMMITTED;
    }

    /** The funds (and other aggregates) the commands name, where they name one. */
    private Set<String> targetsOf(List<Pending> commands) {
        Set<String> targets = new HashSet<>();
        for (Pending p : commands) {
            try {
                targets.add(commandTargets.resolveTarget(p.command).getIdentifier());
            } catch (RuntimeException e) {
                // A command that creates its aggregate names none; its handler decides.
            }
        }
        return targets;
    }

    /**
     * Handles the command on this thread (the command bus is synchronous): in the group's unit
     * of work when one is current, else in one of its own.
     */
    private CommandResultMessage<?> dispatch(CommandMessage<?> command) {
        CommandResultMessage<?>[] result = new CommandResultMessage<?>[1];
        try {
            commandBus.dispatch(command, (c, r) -> result[0] = r);
        } catch (RuntimeException e) {
            return GenericCommandResultMessage.asCommandResultMessage(e);
        }
        return result[0] != null ? result[0] : GenericCommandResultMessage.asCommandResultMessage(
                new IllegalStateException("the command bus gave no result"));
    }

    /** One command in its own transaction, as the command gateway would handle it. */
    private void alone(Pending pending) {
        pending.result.complete(dispatch(pending.command));
    }

    /** Stops taking commands; those already waiting are still handled. */
    @Override
    public void destroy() throws InterruptedException {
        running = false;
        if (writer.isAlive()) {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private static final class Pending {
        final CommandMessage<?> command;
        final CompletableFuture<CommandResultMessage<?>> result = new CompletableFuture<>();

        Pending(CommandMessage<?> command) {
            this.command = command;
        }
    }
}
