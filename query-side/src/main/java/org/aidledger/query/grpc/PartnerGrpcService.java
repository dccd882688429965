package org.aidledger.query.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;
import org.aidledger.messages.rules.RuleViolation;
import org.aidledger.proto.v1.FundReserve;
import org.aidledger.proto.v1.GetReserveBalanceRequest;
import org.aidledger.proto.v1.GetSubsidisedLoanRequest;
import org.aidledger.proto.v1.ListSubsidisedLoansRequest;
import org.aidledger.proto.v1.ListSubsidisedLoansResponse;
import org.aidledger.proto.v1.ListSubsidyPaymentsRequest;
import org.aidledger.proto.v1.ListSubsidyPaymentsResponse;
import org.aidledger.proto.v1.Money;
import org.aidledger.proto.v1.PartnerServiceGrpc;
import org.aidledger.proto.v1.ReserveBalance;
import org.aidledger.proto.v1.SubsidisedLoan;
import org.aidledger.proto.v1.SubsidyPayment;
import org.aidledger.proto.v1.SubsidyPeriod;
import org.aidledger.query.partner.PartnerReads;
import org.aidledger.query.read.LedgerReads;

/** The partner-facing gRPC service over {@link PartnerReads}. */
public class PartnerGrpcService extends PartnerServiceGrpc.PartnerServiceImplBase {

    private final PartnerReads reads;
    private final PartnerScope scope;

    public PartnerGrpcService(PartnerReads reads, PartnerScope scope) {
        this.reads = reads;
        this.scope = scope;
    }

    @Override
    public void listSubsidisedLoans(ListSubsidisedLoansRequest request,
            StreamObserver<ListSubsidisedLoansResponse> response) {
        respond(response, () -> {
            String partnerId = partner(request.getPartnerId());
            int pageSize = pageSize(request.getPageSize());
            List<PartnerReads.Loan> loans = reads.loans(partnerId, request.getPageToken(),
                    pageSize);
            ListSubsidisedLoansResponse.Builder out = ListSubsidisedLoansResponse.newBuilder();
            loans.forEach(l -> out.addLoans(loan(l)));
            if (loans.size() == pageSize) {
                out.setNextPageToken(loans.get(loans.size() - 1).loanId());
            }
            return out.build();
        });
    }

    @Override
    public void getSubsidisedLoan(GetSubsidisedLoanRequest request,
            StreamObserver<SubsidisedLoan> response) {
        respond(response, () -> {
            PartnerReads.Loan l = reads.loan(partner(request.getPartnerId()),
                    request.getLoanId());
            SubsidisedLoan.Builder out = loan(l).toBuilder();
            for (PartnerReads.Period p : reads.schedule(l.loanId())) {
                out.addSchedule(SubsidyPeriod.newBuilder().setNumber(p.number())
                        .setDueDate(p.dueDate().toString())
                        .setPrincipal(money(p.principalMinor(), l.currency()))
                        .setInterest(money(p.interestMinor(), l.currency()))
                        .setSubsidyPaid(money(p.subsidyPaidMinor(), l.currency())));
            }
            return out.build();
        });
    }

    @Override
    public void getReserveBalance(GetReserveBalanceRequest request,
            StreamObserver<ReserveBalance> response) {
        respond(response, () -> {
            String partnerId = partner(request.getPartnerId());
            ReserveBalance.Builder out = ReserveBalance.newBuilder().setPartnerId(partnerId);
            reads.reserves(partnerId).forEach(r -> out.addFunds(FundReserve.newBuilder()
                    .setFundId(r.fundId()).setBalance(money(r.balanceMinor(), r.currency()))));
            return out.build();
        });
    }

    @Override
    public void listSubsidyPayments(ListSubsidyPaymentsRequest request,
            StreamObserver<ListSubsidyPaymentsResponse> response) {
        respond(response, () -> {
            String partnerId = partner(request.getPartnerId());
            int pageSize = pageSize(request.getPageSize());
            long after = 0;
            if (!request.getPageToken().isEmpty()) {
                try {
                    after = Long.parseLong(request.getPageToken());
                } catch (NumberFormatException e) {
                    throw Status.INVALID_ARGUMENT.withDescription(
                            "page_token is not one this service issued").asRuntimeException();
                }
            }
            List<PartnerReads.Payment> payments = reads.payments(partnerId, after, pageSize);
            ListSubsidyPaymentsResponse.Builder out = ListSubsidyPaymentsResponse.newBuilder();
            payments.forEach(p -> out.addPayments(SubsidyPayment.newBuilder()
                    .setPosition(p.position()).setTransactionId(p.transactionId())
                    .setLoanId(p.loanId()).setFundId(p.fundId()).setPeriod(p.period())
                    .setAmount(money(p.amountMinor(), p.currency()))
                    .setValueDate(p.valueDate().toString())));
            if (payments.size() == pageSize) {
                out.setNextPageToken(Long.toString(payments.get(payments.size() - 1)
                        .position()));
            }
            return out.build();
        });
    }

    private String partner(String partnerId) {
        if (partnerId.isEmpty() || partnerId.length() > 64) {
            throw Status.INVALID_ARGUMENT.withDescription(
                    "FIELD_REQUIRED: partner_id must be 1 to 64 characters").asRuntimeException();
        }
        scope.check(partnerId);
        return partnerId;
    }

    private static int pageSize(int requested) {
        return requested == 0 ? LedgerReads.PAGE_SIZE_DEFAULT : requested;
    }

    private static SubsidisedLoan loan(PartnerReads.Loan l) {
        String c = l.currency();
        return SubsidisedLoan.newBuilder().setLoanId(l.loanId()).setFundId(l.fundId())
                .setPartnerId(l.partnerId()).setBorrowerId(l.borrowerId())
                .setPrincipal(money(l.principalMinor(), c))
                .setAnnualRate(l.annualRate().toPlainString()).setTermMonths(l.termMonths())
                .setMethod(l.method()).setSubsidyShare(l.subsidyShare().toPlainString())
                .setSubsidyCap(money(l.subsidyCapMinor(), c))
                .setSubsidyPaid(money(l.subsidyPaidMinor(), c)).setStatus(l.status())
                .setEndReason(l.endReason() == null ? "" : l.endReason())
                .setEndedOn(l.endedOn() == null ? "" : l.endedOn().toString()).build();
    }

    private static Money money(long minor, String currency) {
        return Money.newBuilder().setAmountMinor(minor).setCurrency(currency).build();
    }

    private static <T> void respond(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuleViolation e) {
            response.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        } catch (StatusRuntimeException e) {
            response.onError(e);
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
