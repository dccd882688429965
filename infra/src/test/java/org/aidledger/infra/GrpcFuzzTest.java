package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.aidledger.proto.v1.GetFundBalancesRequest;
import org.aidledger.proto.v1.GetReserveBalanceRequest;
import org.aidledger.proto.v1.GetSubsidisedLoanRequest;
import org.aidledger.proto.v1.GetTrialBalanceRequest;
import org.aidledger.proto.v1.LedgerQueryServiceGrpc;
import org.aidledger.proto.v1.ListJournalEntriesRequest;
import org.aidledger.proto.v1.ListSubsidisedLoansRequest;
import org.aidledger.proto.v1.ListSubsidyPaymentsRequest;
import org.aidledger.proto.v1.PartnerServiceGrpc;
import org.aidledger.query.grpc.GrpcServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Input fuzzing of the gRPC surface: generated ids, dates, positions, page sizes and page
 * tokens, mostly wrong. No call may end in INTERNAL or UNKNOWN; every refusal carries a status
 * that names the caller's mistake and a description naming the rule; nothing is written. The
 * seed is fixed; {@code -Dchaos.long=true} (./ledger chaos) runs ten times as many cases.
 */
class GrpcFuzzTest extends LedgerIntegrationTest {

    private static final long SEED = 20261125L;
    private static final int CASES = Boolean.getBoolean("chaos.long") ? 3_000 : 300;
    private static final Set<Status.Code> CALLER_MISTAKES = EnumSet.of(
            Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND, Status.Code.OUT_OF_RANGE,
            Status.Code.FAILED_PRECONDITION, Status.Code.PERMISSION_DENIED);

    @Autowired
    GrpcServer grpcServer;

    @Test
    void generatedRequestsNeverBreakTheService() throws Exception {
        String fundId = openFund("500.00");
        donate(fundId, "1000.00");
        awaitProjections();
        List<String> ids = List.of(fundId, id("cu"), "", " ", "no-such-fund", "x".repeat(65),
                "x".repeat(5000), "../../etc", "fund-1'; DROP TABLE journal_entry; --", "\u0000",
                "基金", "%", "_", "\\", "null");
        List<String> dates = List.of("", "2026-03-01", "2999-01-01", "2026-02-30", "yesterday",
                "20260301", "2026-3-1", "-1", "0000-01-01", "+99999-01-01");
        List<String> tokens = List.of("", "abc", "-1", "0", "999999999999999999999", "%%%",
                "eyJwIjoxfQ==", "\u00ff\u00fe");
        long[] positions = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 42};
        int[] pageSizes = {0, 1, -1, 50, 100, 101, 1000, Integer.MAX_VALUE, Integer.MIN_VALUE};
        long events = eventCount();
        Random random = new Random(SEED);
        List<String> broken = new ArrayList<>();
        int answered = 0;
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", grpcServer.port())
                .usePlaintext().build();
        try {
            var ledger = LedgerQueryServiceGrpc.newBlockingStub(channel);
            var partner = PartnerServiceGrpc.newBlockingStub(channel);
            for (int i = 0; i < CASES; i++) {
                String id = ids.get(random.nextInt(ids.size()));
                String other = ids.get(random.nextInt(ids.size()));
                String date = dates.get(random.nextInt(dates.size()));
                String token = tokens.get(random.nextInt(tokens.size()));
                long position = positions[random.nextInt(positions.length)];
                int pageSize = pageSizes[random.nextInt(pageSizes.length)];
                int call = random.nextInt(7);
                String described = "call " + call + " id=" + id + " other=" + other + " date="
                        + date + " token=" + token + " position=" + position + " page="
                        + pageSize;
                try {
                    var l = ledger.withDeadlineAfter(30, TimeUnit.SECONDS);
                    var p = partner.withDeadlineAfter(30, TimeUnit.SECONDS);
                    switch (call) {
                        case 0 -> l.getFundBalances(GetFundBalancesRequest.newBuilder()
                                .setFundId(id).setAsOfDate(date).setAsOfPosition(position)
                                .build());
                        case 1 -> l.getTrialBalance(GetTrialBalanceRequest.newBuilder()
                                .setFundId(id).build());
                        case 2 -> l.listJournalEntries(ListJournalEntriesRequest.newBuilder()
                                .setFundId(id).setPageSize(pageSize).setPageToken(token)
                                .build());
                        case 3 -> p.listSubsidisedLoans(ListSubsidisedLoansRequest.newBuilder()
                                .setPartnerId(id).setPageSize(pageSize).setPageToken(token)
                                .build());
                        case 4 -> p.getSubsidisedLoan(GetSubsidisedLoanRequest.newBuilder()
                                .setPartnerId(id).setLoanId(other).build());
                        case 5 -> p.getReserveBalance(GetReserveBalanceRequest.newBuilder()
                                .setPartnerId(id).build());
                        default -> p.listSubsidyPayments(ListSubsidyPaymentsRequest.newBuilder()
                                .setPartnerId(id).setPageSize(pageSize).setPageToken(token)
                                .build());
                    }
                    answered++;
                } catch (StatusRuntimeException e) {
                    Status s = e.getStatus();
                    if (!CALLER_MISTAKES.contains(s.getCode()) || s.getDescription() == null
                            || s.getDescription().isBlank()) {
                        broken.add(described + " -> " + s);
                    }
                }
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.out.println("grpc fuzz: " + CASES + " cases, " + answered + " answered");
        assertThat(broken).as("calls that broke the service or gave no reason").isEmpty();
        assertThat(answered).as("some generated calls are valid").isPositive();
        assertThat(eventCount()).isEqualTo(events);
    }
}
