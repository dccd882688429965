package org.aidledger.query.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.aidledger.proto.v1.ChainHead;
import org.aidledger.proto.v1.FundBalances;
import org.aidledger.proto.v1.GetChainHeadRequest;
import org.aidledger.proto.v1.GetFundBalancesRequest;
import org.aidledger.proto.v1.GetTrialBalanceRequest;
import org.aidledger.proto.v1.JournalEntry;
import org.aidledger.proto.v1.JournalLine;
import org.aidledger.proto.v1.LedgerQueryServiceGrpc;
import org.aidledger.proto.v1.ListJournalEntriesRequest;
import org.aidledger.proto.v1.ListJournalEntriesResponse;
import org.aidledger.proto.v1.Money;
import org.aidledger.proto.v1.TrialBalance;
import org.aidledger.proto.v1.TrialBalanceLine;
import org.aidledger.query.journal.Posting;
import org.aidledger.query.read.LedgerReads;

/**
 * The gRPC face of {@link LedgerReads}. It takes what it needs in its constructor so tests can
 * host it in-process. Refusals become the matching status with the rule's code in the message.
 */
public class LedgerQueryGrpcService extends LedgerQueryServiceGrpc.LedgerQueryServiceImplBase {

    private final LedgerReads reads;

    public LedgerQueryGrpcService(LedgerReads reads) {
        this.reads = reads;
    }

    @Override
    public void getFundBalances(GetFundBalancesRequest request,
            StreamObserver<FundBalances> response) {
        GrpcCalls.respond(response, () -> {
            LocalDate asOf = request.getAsOfDate().isEmpty() ? null
                    : parseDate(request.getAsOfDate());
            if (request.getAsOfPosition() < 0) {
                throw Status.INVALID_ARGUMENT.withDescription(
                        "FIELD_INVALID: as_of_position must not be negative").asRuntimeException();
            }
            Long asOfPosition = request.getAsOfPosition() == 0 ? null : request.getAsOfPosition();
            LedgerReads.FundBalances b = reads.balances(fundId(request.getFundId()), asOf,
                    asOfPosition);
            String c = b.currency();
            FundBalances.Builder out = FundBalances.newBuilder()
                    .setFundId(b.fundId()).setCurrency(c)
                    .setAsOfDate(asOf == null ? "" : asOf.toString())
                    .setCash(GrpcCalls.money(b.cashMinor(), c))
                    .setLoansReceivable(GrpcCalls.money(b.loansReceivableMinor(), c))
                    .setPosition(b.position())
                    .setAsOfPosition(asOfPosition == null ? 0 : asOfPosition);
            if (b.committedMinor() != null) {
                out.setCommitted(GrpcCalls.money(b.committedMinor(), c));
                out.setAvailable(GrpcCalls.money(b.availableMinor(), c));
            }
            put(b.reservesMinor(), c, out::putReserves);
            put(b.incomeMinor(), c, out::putIncome);
            put(b.expenseMinor(), c, out::putExpense);
            return out.build();
        });
    }

    @Override
    public void getTrialBalance(GetTrialBalanceRequest request,
            StreamObserver<TrialBalance> response) {
        GrpcCalls.respond(response, () -> {
            LedgerReads.TrialBalance t = reads.trialBalance(fundId(request.getFundId()));
            String c = t.currency();
            TrialBalance.Builder out = TrialBalance.newBuilder().setFundId(t.fundId())
                    .setCurrency(c)
                    .setTotalDebits(GrpcCalls.money(t.totalDebitsMinor(), c))
                    .setTotalCredits(GrpcCalls.money(t.totalCreditsMinor(), c));
            for (Posting p : t.lines()) {
                out.addLines(TrialBalanceLine.newBuilder().setAccount(p.account())
                        .setBalance(GrpcCalls.money(p.amountMinor(), c)));
            }
            return out.build();
        });
    }

    @Override
    public void listJournalEntries(ListJournalEntriesRequest request,
            StreamObserver<ListJournalEntriesResponse> response) {
        GrpcCalls.respond(response, () -> {
            int pageSize = request.getPageSize() == 0 ? LedgerReads.PAGE_SIZE_DEFAULT
                    : request.getPageSize();
            long after = 0;
            if (!request.getPageToken().isEmpty()) {
                try {
                    after = Long.parseLong(request.getPageToken());
                } catch (NumberFormatException e) {
                    throw Status.INVALID_ARGUMENT.withDescription(
                            "page_token is not one this service issued").asRuntimeException();
                }
            }
            List<LedgerReads.JournalEntry> entries =
                    reads.journal(fundId(request.getFundId()), after, pageSize);
            ListJournalEntriesResponse.Builder out = ListJournalEntriesResponse.newBuilder();
            for (LedgerReads.JournalEntry e : entries) {
                JournalEntry.Builder entry = JournalEntry.newBuilder()
                        .setPosition(e.position()).setEventId(e.eventId())
                        .setTransactionId(e.transactionId()).setKind(e.kind())
                        .setValueDate(e.valueDate().toString())
                        .setRecordedAt(e.recordedAt().toString())
                        .setReversesTransactionId(nullToEmpty(e.reversesTransactionId()))
                        .setActor(nullToEmpty(e.actor()))
                        .setDescription(nullToEmpty(e.description()));
                for (Posting p : e.lines()) {
                    entry.addLines(JournalLine.newBuilder().setAccount(p.account())
                            .setAmount(GrpcCalls.money(p.amountMinor(), e.currency())));
                }
                out.addEntries(entry);
            }
            if (entries.size() == pageSize) {
                out.setNextPageToken(Long.toString(entries.get(entries.size() - 1).position()));
            }
            return out.build();
        });
    }

    @Override
    public void getChainHead(GetChainHeadRequest request, StreamObserver<ChainHead> response) {
        GrpcCalls.respond(response, () -> {
            LedgerReads.ChainHeadView head = reads.chainHead();
            return ChainHead.newBuilder().setPosition(head.position())
                    .setGlobalIndex(head.globalIndex()).setDigest(head.digest()).build();
        });
    }



    private static String fundId(String fundId) {
        return GrpcCalls.id(fundId, "fund_id");
    }

    private static LocalDate parseDate(String date) {
        try {
            return LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw Status.INVALID_ARGUMENT.withDescription(
                    "FIELD_INVALID: as_of_date must be an ISO date like 2026-11-24, was '"
                            + date + "'").asRuntimeException();
        }
    }


    private static void put(Map<String, Long> amounts, String currency,
            java.util.function.BiConsumer<String, Money> sink) {
        amounts.forEach((k, v) -> sink.accept(k, GrpcCalls.money(v, currency)));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
