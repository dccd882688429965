package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aidledger.proto.v1.ChainHead;
import org.aidledger.proto.v1.FundBalances;
import org.aidledger.proto.v1.GetChainHeadRequest;
import org.aidledger.proto.v1.GetFundBalancesRequest;
import org.aidledger.proto.v1.GetTrialBalanceRequest;
import org.aidledger.proto.v1.LedgerQueryServiceGrpc;
import org.aidledger.proto.v1.ListJournalEntriesRequest;
import org.aidledger.proto.v1.ListJournalEntriesResponse;
import org.aidledger.proto.v1.TrialBalance;
import org.aidledger.query.grpc.GrpcServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** One path through every layer: REST command, event row, projection, gRPC read. */
class EndToEndTest extends LedgerIntegrationTest {

    @Autowired
    GrpcServer grpcServer;
    ManagedChannel channel;
    LedgerQueryServiceGrpc.LedgerQueryServiceBlockingStub grpc;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", grpcServer.port()).usePlaintext()
                .build();
        grpc = LedgerQueryServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void donationTravelsFromRestThroughTheEventStoreToGrpc() throws Exception {
        String fundId = openFund("2000.00");
        String tx = newTx();
        Answer donated = post(ADMIN, tx, "/api/v1/funds/" + fundId + "/donations",
                Map.of("donorType", "COMPANY", "donorRef", "acme-steel", "campaign", "送温暖",
                        "amount", "12345.67", "currency", "CNY", "valueDate", "2026-11-01"));
        assertThat(donated.status()).isEqualTo(201);
        String transactionId = donated.body().get("transactionId").asText();

        // The event row, as PostgreSQL holds it: JSON payload and the acting user in metadata.
        Map<String, Object> row = jdbc.queryForMap("SELECT payloadtype, payloadrevision,"
                + " convert_from(payload, 'UTF8') AS payload, convert_from(metadata, 'UTF8') AS meta"
                + " FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype LIKE ?",
                fundId, "%DonationReceived");
        assertThat(row.get("payloadrevision")).isEqualTo("1");
        JsonNode payload = json.readTree((String) row.get("payload"));
        assertThat(payload.get("transactionId").asText()).isEqualTo(transactionId);
        assertThat(payload.get("amount").get("amountMinor").asLong()).isEqualTo(1234567L);
        assertThat(payload.get("amount").get("currency").asText()).isEqualTo("CNY");
        JsonNode meta = json.readTree((String) row.get("meta"));
        assertThat(meta.get("actor").asText()).isEqualTo("admin");
        assertThat(meta.get("clientTransactionId").asText()).isEqualTo(tx);

        // The projection, over REST.
        JsonNode rest = balances(fundId);
        assertThat(rest.get("cash").asText()).isEqualTo("12345.67");
        assertThat(rest.get("income").get("INCOME:DONATION").asText()).isEqualTo("12345.67");

        // The same balance over gRPC.
        FundBalances b = grpc.getFundBalances(GetFundBalancesRequest.newBuilder()
                .setFundId(fundId).build());
        assertThat(b.getCash().getAmountMinor()).isEqualTo(1234567L);
        assertThat(b.getCash().getCurrency()).isEqualTo("CNY");
        assertThat(b.getAvailable().getAmountMinor()).isEqualTo(1234567L);
        assertThat(b.getIncomeMap().get("INCOME:DONATION").getAmountMinor()).isEqualTo(1234567L);

        // As of a date before the donation's value date, the fund held nothing.
        FundBalances before = grpc.getFundBalances(GetFundBalancesRequest.newBuilder()
                .setFundId(fundId).setAsOfDate("2026-10-31").build());
        assertThat(before.getCash().getAmountMinor()).isZero();
        FundBalances on = grpc.getFundBalances(GetFundBalancesRequest.newBuilder()
                .setFundId(fundId).setAsOfDate("2026-11-01").build());
        assertThat(on.getCash().getAmountMinor()).isEqualTo(1234567L);

        TrialBalance trial = grpc.getTrialBalance(GetTrialBalanceRequest.newBuilder()
                .setFundId(fundId).build());
        assertThat(trial.getTotalDebits().getAmountMinor())
                .isEqualTo(trial.getTotalCredits().getAmountMinor()).isEqualTo(1234567L);
        assertThat(trial.getLinesList().stream()
                .mapToLong(l -> l.getBalance().getAmountMinor()).sum()).isZero();

        ListJournalEntriesResponse journal = grpc.listJournalEntries(ListJournalEntriesRequest
                .newBuilder().setFundId(fundId).setPageSize(10).build());
        assertThat(journal.getEntriesList()).hasSize(1);
        long position = journal.getEntries(0).getPosition();
        assertThat(grpc.getFundBalances(GetFundBalancesRequest.newBuilder().setFundId(fundId)
                .setAsOfPosition(position - 1).build()).getCash().getAmountMinor()).isZero();
        assertThat(grpc.getFundBalances(GetFundBalancesRequest.newBuilder().setFundId(fundId)
                .setAsOfPosition(position).build()).getCash().getAmountMinor())
                .isEqualTo(1234567L);
        ChainHead head = grpc.getChainHead(GetChainHeadRequest.getDefaultInstance());
        assertThat(head.getDigest()).hasSize(64);
        assertThat(head.getGlobalIndex()).isGreaterThanOrEqualTo(position);
        assertThat(journal.getEntries(0).getTransactionId()).isEqualTo(transactionId);
        assertThat(journal.getEntries(0).getActor()).isEqualTo("admin");
        assertThat(journal.getEntries(0).getLinesList()).extracting(l -> l.getAccount())
                .containsExactly("ASSET:CASH", "INCOME:DONATION");
    }

    @Test
    void journalPagesResumeFromTheirToken() {
        String fundId = openFund("2000.00");
        for (int i = 1; i <= 5; i++) {
            donate(fundId, i + ".00");
        }
        awaitProjections();
        ListJournalEntriesResponse first = grpc.listJournalEntries(ListJournalEntriesRequest
                .newBuilder().setFundId(fundId).setPageSize(3).build());
        assertThat(first.getEntriesCount()).isEqualTo(3);
        assertThat(first.getNextPageToken()).isNotEmpty();
        ListJournalEntriesResponse second = grpc.listJournalEntries(ListJournalEntriesRequest
                .newBuilder().setFundId(fundId).setPageSize(3)
                .setPageToken(first.getNextPageToken()).build());
        assertThat(second.getEntriesCount()).isEqualTo(2);
        assertThat(second.getNextPageToken()).isEmpty();
        assertThat(second.getEntries(0).getPosition())
                .isGreaterThan(first.getEntries(2).getPosition());
    }

    @Test
    void grpcRefusalsCarryTheRightStatus() {
        assertThatThrownBy(() -> grpc.getFundBalances(GetFundBalancesRequest.newBuilder()
                .setFundId("no-such-fund-" + run).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).startsWith("FUND_NOT_FOUND");
                });
        String fundId = openFund("2000.00");
        awaitProjections();
        assertThatThrownBy(() -> grpc.getFundBalances(GetFundBalancesRequest.newBuilder()
                .setFundId(fundId).setAsOfDate("31/12/2026").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
                        e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> grpc.listJournalEntries(ListJournalEntriesRequest.newBuilder()
                .setFundId(fundId).setPageSize(501).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
                        e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> grpc.getFundBalances(GetFundBalancesRequest.newBuilder()
                .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
                        e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void grpcReflectionListsTheLedgerService() throws Exception {
        java.util.List<String> services = new java.util.ArrayList<>();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        var requests = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(io.grpc.reflection.v1.ServerReflectionResponse r) {
                        r.getListServicesResponse().getServiceList()
                                .forEach(s -> services.add(s.getName()));
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder()
                .setListServices("").build());
        requests.onCompleted();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(services).contains("aidledger.v1.LedgerQueryService", "grpc.health.v1.Health");
    }

    @Test
    void grpcHealthReportsServing() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder()
                        .setService("aidledger.v1.LedgerQueryService").build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void manyConcurrentCallersAreAllAnsweredByABoundedSetOfCallThreads() throws Exception {
        String fundId = openFund("2000.00");
        donate(fundId, "7.00");
        awaitProjections();
        var async = LedgerQueryServiceGrpc.newFutureStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        List<com.google.common.util.concurrent.ListenableFuture<FundBalances>> calls =
                new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(async.getFundBalances(GetFundBalancesRequest.newBuilder()
                    .setFundId(fundId).build()));
        }
        for (var call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS).getCash().getAmountMinor())
                    .isEqualTo(700L);
        }
        // Calls wait for one of a fixed set of threads (ledger.grpc.call-threads, by default
        // two per core) instead of each taking a thread of its own.
        assertThat(grpcServer.callThreadsStarted()).isBetween(1,
                2 * Runtime.getRuntime().availableProcessors());
    }
}
