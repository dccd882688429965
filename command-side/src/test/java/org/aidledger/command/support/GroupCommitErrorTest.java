package org.aidledger.command.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An Error thrown in the middle of a group (Axon turns a handler's Errors into results, but not
 * those of a dispatch interceptor, nor an append that runs out of memory) must not leave the
 * group's unit of work open on the writer thread: the next group would nest in it and answer
 * its callers as committed while its transaction never commits.
 */
class GroupCommitErrorTest {

    /** Records the transactions the writer opens and what became of each. */
    private final List<String> transactions = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final SimpleCommandBus bus = SimpleCommandBus.builder()
            .transactionManager(this::transaction).build();
    private GroupCommit groupCommit;

    private Transaction transaction() {
        int n = transactions.size();
        // Like Spring's REQUIRED: a unit of work nested in another joins its transaction.
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().parent().isPresent()) {
            return new Transaction() {
                @Override
                public void commit() {
                }

                @Override
                public void rollback() {
                }
            };
        }
        transactions.add("open");
        return new Transaction() {
            @Override
            public void commit() {
                transactions.set(n, "committed");
            }

            @Override
            public void rollback() {
                transactions.set(n, "rolled back");
            }
        };
    }

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        if (groupCommit != null) {
            groupCommit.destroy();
        }
    }

    @Test
    void anErrorInAGroupLeavesNoUnitOfWorkBehindAndLaterCommandsCommit() throws Exception {
        bus.subscribe("hold", m -> {
            release.await(30, TimeUnit.SECONDS);
            return "held";
        });
        bus.subscribe("ok", m -> "done " + m.getPayload());
        bus.subscribe("broken", m -> "never");
        bus.registerDispatchInterceptor(messages -> (i, m) -> {
            if (m.getCommandName().equals("broken")) {
                throw new AssertionError("dispatch broke");
            }
            return m;
        });
        groupCommit = new GroupCommit(bus, DefaultCommandGateway.builder().commandBus(bus)
                .build(), this::transaction, new SimpleMeterRegistry(),
                // No command here names a fund, so the cache never reads the database.
                new CheckedAggregateCache(NoCache.INSTANCE, null),
                AnnotationCommandTargetResolver.builder().build(), true, 64);

        CompletableFuture<Object> held = send("hold", "h");
        await(() -> transactions.size() == 1);
        CompletableFuture<Object> first = send("ok", "a");
        await(() -> groupCommit.waiting() == 1);
        CompletableFuture<Object> broken = send("broken", "b");
        await(() -> groupCommit.waiting() == 2);
        release.countDown();

        assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo("held");
        assertThatThrownBy(() -> broken.get(30, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(AssertionError.class);
        // The command grouped with the broken one is not answered as committed.
        assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(AssertionError.class);

        // Later commands get transactions of their own, which commit.
        int before = transactions.size();
        assertThat(send("ok", "c").get(30, TimeUnit.SECONDS)).isEqualTo("done c");
        assertThat(transactions.subList(before, transactions.size()))
                .containsExactly("committed");
        assertThat(transactions).doesNotContain("open");
    }

    private CompletableFuture<Object> send(String name, String payload) {
        return CompletableFuture.supplyAsync(() -> groupCommit.sendAndWait(
                new GenericCommandMessage<>(GenericCommandMessage.asCommandMessage(payload),
                        name)));
    }

    private static void await(java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
