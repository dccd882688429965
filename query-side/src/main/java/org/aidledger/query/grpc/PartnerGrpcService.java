package org.aidledger.query.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.aidledger.proto.v1.FundReserve;
import org.aidledger.proto.v1.GetReserveBalanceRequest;
import org.aidledger.proto.v1.GetSubsidisedLoanRequest;
import org.aidledger.proto.v1.ListSubsidisedLoansRequest;
import org.aidledger.proto.v1.ListSubsidisedLoansResponse;
import org.aidledger.proto.v1.ListSubsidyPaymentsRequest;
import org.aidledger.proto.v1.ListSubsidyPaymentsResponse;
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
        GrpcCalls.respond(response, () -> {
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
        GrpcCalls.respond(response, () -> {
            PartnerReads.Loan l = reads.loan(partner(request.getPartnerId()),
                    GrpcCalls.id(request.getLoanId(), "loan_id"));
            SubsidisedLoan.Builder out = loan(l).toBuilder();
            for (PartnerReads.Period p : reads.schedule(l.loanId())) {
                out.addSchedule(SubsidyPeriod.newBuilder().setNumber(p.number())
                        .setDueDate(p.dueDate().toString())
                        .setPrincipal(GrpcCalls.money(p.principalMinor(), l.currency()))
                        .setInterest(GrpcCalls.money(p.interestMinor(), l.currency()))
                        .setSubsidyPaid(GrpcCalls.money(p.subsidyPaidMinor(), l.currency())));
            }
            return out.build();
        });
    }

    @Override
    public void getReserveBalance(GetReserveBalanceRequest request,
            StreamObserver<ReserveBalance> response) {
        GrpcCalls.respond(response, () -> {
            String partnerId = partner(request.getPartnerId());
            ReserveBalance.Builder out = ReserveBalance.newBuilder().setPartnerId(partnerId);
            reads.reserves(partnerId).forEach(r -> out.addFunds(FundReserve.newBuilder()
                    .setFundId(r.fundId()).setBalance(GrpcCalls.money(r.balanceMinor(), r.currency()))));
            return out.build();
        });
    }

    @Override
    public void listSubsidyPayments(ListSubsidyPaymentsRequest request,
            StreamObserver<ListSubsidyPaymentsResponse> response) {
        GrpcCalls.respond(response, () -> {
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
                    .setAmount(GrpcCalls.money(p.amountMinor(), p.currency()))
                    .setValueDate(p.valueDate().toString())));
            if (payments.size() == pageSize) {
                out.setNextPageToken(Long.toString(payments.get(payments.size() - 1)
                        .position()));
            }
            return out.build();
        });
    }

    private String partner(String partnerId) {
        GrpcCalls.id(partnerId, "partner_id");
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
                .setPrincipal(GrpcCalls.money(l.principalMinor(), c))
                .setAnnualRate(l.annualRate().toPlainString()).setTermMonths(l.termMonths())
                .setMethod(l.method()).setSubsidyShare(l.subsidyShare().toPlainString())
                .setSubsidyCap(GrpcCalls.money(l.subsidyCapMinor(), c))
                .setSubsidyPaid(GrpcCalls.money(l.subsidyPaidMinor(), c)).setStatus(l.status())
                .setEndReason(l.endReason() == null ? "" : l.endReason())
                .setEndedOn(l.endedOn() == null ? "" : l.endedOn().toString()).build();
    }


}
