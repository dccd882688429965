package org.aidledger.query.journal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.aidledger.messages.fund.AllocationReceived;
import org.aidledger.messages.fund.BatchPayoutLine;
import org.aidledger.messages.fund.DonationReceived;
import org.aidledger.messages.fund.PayoutApproved;
import org.aidledger.messages.fund.PayoutBatchPartPaid;
import org.aidledger.messages.fund.PayoutPaid;
import org.aidledger.messages.fund.PayoutRejected;
import org.aidledger.messages.fund.PayoutRequested;
import org.aidledger.messages.fund.PeriodClosed;
import org.aidledger.messages.fund.SubsidyReserveDeposited;
import org.aidledger.messages.fund.SubsidyReserveWithdrawn;
import org.aidledger.messages.fund.TransactionKind;
import org.aidledger.messages.fund.TransactionReversed;
import org.aidledger.messages.loan.InstalmentPayment;
import org.aidledger.messages.loan.LoanApplied;
import org.aidledger.messages.loan.LoanApproved;
import org.aidledger.messages.loan.LoanClosed;
import org.aidledger.messages.loan.LoanConvertedToGrant;
import org.aidledger.messages.loan.LoanDisbursed;
import org.aidledger.messages.loan.LoanOverdue;
import org.aidledger.messages.loan.PenaltyAccrued;
import org.aidledger.messages.loan.LoanGrantPaid;
import org.aidledger.messages.loan.LoanWrittenOff;
import org.aidledger.messages.loan.WrittenOffRecoveryReceived;
import org.aidledger.messages.loan.LoanRejected;
import org.aidledger.messages.loan.LoanRescheduled;
import org.aidledger.messages.loan.RepaymentReceived;
import org.aidledger.messages.loan.ScheduledInstalment;
import org.aidledger.messages.subsidy.InterestSubsidyPaid;
import org.aidledger.messages.subsidy.PartnerLoanEnded;
import org.aidledger.messages.subsidy.SubsidisedLoanRegistered;
import org.aidledger.messages.subsidy.SubsidyShortfallFlagged;
import org.aidledger.query.read.BalanceCache;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Builds the journal, the account balances and the payout register. Each handler runs in the
 * transaction that also advances the processor's token, and a journal entry is keyed by its
 * event id, so applying an event twice (a replay, a segment handed between nodes) changes
 * nothing: balances move only when the entry was newly inserted.
 */
@Component
@ProcessingGroup(LedgerProjection.GROUP)
public class LedgerProjection {

    public static final String GROUP = "ledger";
    /** How many recent entries a rebuild keeps the lines of (see {@code recentEntries}). */
    public static final int RECENT_ENTRIES = 100_000;
    /** How many payouts' register rows a rebuild holds in memory at most (see HeldPayouts). */
    public static final int PAYOUTS_HELD = 500_000;

    private final JdbcTemplate jdbc;
    /** Live: this node's balances kept in memory, told of the funds this projection changes. */
    private final BalanceCache balanceCache;
    /** Building an empty journal from the first event (the replay): {@link #rebuilding}. */
    private final boolean rebuild;
    /** Entries buffered outside a unit of work are written at this many. */
    private final int pendingMax;
    /** While rebuilding: how many recent entries' lines are kept (see {@code recentEntries}). */
    private final int recentMax;
    /**
     * While rebuilding: each entry's position by fund and transaction, and the parts of each
     * payout batch, so that a reversal finds the entry it reverses by position (the replay's
     * journal has no other index); {@code positionsKnown} turns false if an entry's position
     * was not known, and lookups then go by the ids instead.
     */
    private final EntryPositions entryPositions = new EntryPositions();
    private final Map<String, List<Long>> batchPartPositions = new HashMap<>();
    private boolean positionsKnown = true;
    /**
     * While rebuilding: the lines of the last {@code recentMax} entries (normally
     * {@value #RECENT_ENTRIES}) by fund and transaction. A reversal of one of them (corrections
     * are mostly of recent transactions) needs neither the journal's pending rows written nor a
     * read of them: in a replay of the bench store, W1's 4,481 reversals each waited for the
     * COPY in flight and a query, and its first 100,000 events took half of the replay.
     * A ring in the order of the entries' positions, found by the position remembered for the
     * ids: a map keyed by the two ids cost a key made and hashed for every entry, a seventh of
     * the applying thread.
     */
    private final RecentEntry[] recentEntries;
    /** How many entries have gone into {@link #recentEntries} (the next goes at this modulo). */
    private long recentCount;
    /**
     * Live: the lines of the last {@code ledger.projections.recent-entries} entries (20,000 by
     * default) by fund and transaction, kept for reversals, which mostly correct recent
     * transactions. Without it every reversal wrote the entries its batch had buffered so far
     * and read the entry it reverses back with a query (in W1, 3,500 reversals in 30 s: that
     * many extra writes of the buffer, the query alone 1.3 s of PostgreSQL's time). An entry's
     * lines never change once its event exists, so lines kept from a batch that was rolled back
     * and applied again, here or on another node, are still its lines. Parts of a payout batch
     * are not kept: a batch's reversal reads all its parts from the journal. (The rebuild's
     * ring, {@link #recentEntries}, finds an entry by the position remembered for every entry,
     * which a live projection does not keep.)
     */
    private final Map<String, List<Posting>> liveRecent;
    /**
     * Reversals by where the lines of the entry they reverse were found: among the recent
     * entries, or read back from the journal (while rebuilding, by position or by ids).
     */
    private final Counter reversalsFromMemory;
    private final Counter reversalsFromJournal;
    /**
     * While rebuilding: the thread that sends a flushed batch's COPY, and that COPY, which runs
     * while the handlers go on with the next events (see {@link #flush()}).
     */
    private final ExecutorService copier;
    private Future<?> copying;
    /**
     * While rebuilding: balance changes summed in memory, {sum, highest position} per fund,
     * account and currency, until {@link #flush()}. Written after every batch instead, each
     * balance row got a new version per batch that no vacuum could remove while the replay's
     * reading transaction was open, and every later batch had to step over them: a million-
     * event replay slowed from 105,700 to 33,800 events/s when batches went from 20,000 events
     * to 5,000.
     */
    private final Map<List<String>, long[]> unwrittenBalances = new LinkedHashMap<>();
    /**
     * While rebuilding: the COPY buffers of the journal's entries and lines, used again for
     * every batch (only ever by the one copying task running at a time).
     */
    private final CopyBinary journalEntries;
    private final CopyBinary journalLines;
    /** While rebuilding: whether the journal has its index by position yet. */
    private boolean positionsIndexed;
    /** While rebuilding: payout-register rows kept in memory until written with COPY. */
    private final HeldPayouts heldPayouts;

    @Autowired
    public LedgerProjection(JdbcTemplate jdbc, MeterRegistry meters,
            @Value("${ledger.projections.recent-entries:20000}") int liveRecentMax,
            BalanceCache balanceCache) {
        this(jdbc, false, PENDING_MAX, liveRecentMax, 0, meters, balanceCache);
    }

    /** The live projection without a node's cache of balances to keep current (tests). */
    public LedgerProjection(JdbcTemplate jdbc, MeterRegistry meters, int liveRecentMax) {
        this(jdbc, false, PENDING_MAX, liveRecentMax, 0, meters, null);
    }

    private LedgerProjection(JdbcTemplate jdbc, boolean rebuild, int pendingMax,
            int recentMax, int payoutsHeld, MeterRegistry meters, BalanceCache balanceCache) {
        if (recentMax < 0) {
            throw new IllegalArgumentException("recent entries kept cannot be negative: "
                    + recentMax);
        }
        this.jdbc = jdbc;
        this.balanceCache = balanceCache;
        this.liveRecent = rebuild ? null : Collections.synchronizedMap(
                new LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, List<Posting>> eldest) {
                        return size() > recentMax;
                    }
                });
        this.reversalsFromMemory = reversalLookups(meters, "memory");
        this.reversalsFromJournal = reversalLookups(meters, "journal");
        this.heldPayouts = rebuild ? new HeldPayouts(payoutsHeld) : null;
        this.pendingMax = pendingMax;
        this.recentMax = recentMax;
        this.recentEntries = rebuild ? new RecentEntry[recentMax] : null;
        this.rebuild = rebuild;
        this.journalEntries = rebuild ? CopyBinary.streaming() : null;
        this.journalLines = rebuild ? CopyBinary.streaming() : null;
        this.copier = rebuild ? new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "journal-copy");
                    t.setDaemon(true);
                    return t;
                }) : null;
    }

    /**
     * The projection for rebuilding read models that start empty, each event applied once in
     * index order (the auditor's replay). Every journal entry is then new, so entries are
     * written with COPY, without the look-up that skips one already there. The journal must
     * start without indexes: it needs none but one on position, which this projection creates
     * when it first reads an entry back, as a reversal finds the entry it reverses among the
     * recent entries it keeps or by the position this projection remembers (keeping the live
     * journal's indexes on ids up row by row cost more than writing the rows). The payout
     * register must start without indexes too: it gets its unique index on payout id after
     * its first write ({@link HeldPayouts#write}). An event applied twice is an error here,
     * where the live projection skips it.
     *
     * @param entriesPerWrite entries buffered before they are written ({@link #PENDING_MAX};
     *                        tests make it small)
     * @param recentEntries   recent entries whose lines are kept for reversals
     *                        ({@link #RECENT_ENTRIES}; tests pass 0, so that every reversal is
     *                        found by position)
     * @param payoutsHeld     payout-register rows held in memory before they are written
     *                        ({@link #PAYOUTS_HELD}; tests make it small, so that later changes
     *                        of written payouts go through statements)
     */
    public static LedgerProjection rebuilding(JdbcTemplate jdbc, int entriesPerWrite,
            int recentEntries, int payoutsHeld) {
        return new LedgerProjection(jdbc, true, entriesPerWrite, recentEntries, payoutsHeld,
                new SimpleMeterRegistry(), null);
    }

    private static Counter reversalLookups(MeterRegistry meters, String found) {
        return Counter.builder("ledger.projection.reversal.lookups").tag("found", found)
                .description("reversals applied by the ledger projection, by where the lines of"
                        + " the entry they reverse were found")
                .register(meters);
    }

    @EventHandler
    void on(DonationReceived e, EventMessage<?> m, TrackingToken token) {
        String donor = e.donorType() + (e.donorRef() == null ? "" : " " + e.donorRef());
        String description = "Donation from " + donor
                + (e.campaign() == null ? "" : ", campaign " + e.campaign())
                + (e.restrictedPurpose() == null ? "" : ", restricted to "
                + e.restrictedPurpose());
        post(m, token, e.fundId(), e.transactionId(), TransactionKind.DONATION, e.valueDate(),
                null, description, e.amount().currency(), JournalPostings.of(e));
    }

    @EventHandler
    void on(AllocationReceived e, EventMessage<?> m, TrackingToken token) {
        post(m, token, e.fundId(), e.transactionId(), TransactionKind.ALLOCATION, e.valueDate(),
                null, e.kind() + " from " + e.source(), e.amount().currency(),
                JournalPostings.of(e));
    }

    @EventHandler
    void on(SubsidyReserveDeposited e, EventMessage<?> m, TrackingToken token) {
        post(m, token, e.fundId(), e.transactionId(), TransactionKind.RESERVE_DEPOSIT,
                e.valueDate(), null, "Reserve deposited at " + e.partnerId(),
                e.amount().currency(), JournalPostings.of(e));
    }

    @EventHandler
    void on(SubsidyReserveWithdrawn e, EventMessage<?> m, TrackingToken token) {
        post(m, token, e.fundId(), e.transactionId(), TransactionKind.RESERVE_WITHDRAWAL,
                e.valueDate(), null, "Reserve withdrawn from " + e.partnerId(),
                e.amount().currency(), JournalPostings.of(e));
    }

    @EventHandler
    void on(PayoutRequested e, EventMessage<?> m) {
        if (rebuild) {
            hold(new HeldPayouts.Row(e.payoutId(), e.fundId(), e.beneficiaryId(),
                    e.category().name(), e.amount().amountMinor(), e.amount().currency(),
                    HeldPayouts.AWAITING_APPROVAL, e.requestedBy(), null, e.reason(),
                    e.valueDate(), m.getTimestamp(), null));
            return;
        }
        changing(e.fundId());
        changePayoutRegister(c -> c.request(new PayoutRegisterChanges.Request(e.payoutId(),
                e.fundId(), e.beneficiaryId(), e.category().name(), e.amount().amountMinor(),
                e.amount().currency(), e.requestedBy(), e.reason(), e.valueDate(),
                m.getTimestamp())));
    }

    @EventHandler
    void on(PayoutApproved e) {
        HeldPayouts.Row held = held(e.payoutId());
        if (held != null) {
            if (held.status.equals(HeldPayouts.AWAITING_APPROVAL)) {
                held.status = "APPROVED";
                held.approvedBy = e.approvedBy();
            }
            return;
        }
        changing(e.fundId());
        changePayoutRegister(c -> c.approve(e.payoutId(), e.approvedBy()));
    }

    @EventHandler
    void on(PayoutRejected e) {
        HeldPayouts.Row held = held(e.payoutId());
        if (held != null) {
            if (held.status.equals(HeldPayouts.AWAITING_APPROVAL)) {
                held.status = "REJECTED";
                held.approvedBy = e.rejectedBy();
                held.decisionReason = e.reason();
            }
            return;
        }
        changing(e.fundId());
        changePayoutRegister(c -> c.reject(e.payoutId(), e.rejectedBy(), e.reason()));
    }

    @EventHandler
    void on(PayoutPaid e, EventMessage<?> m, TrackingToken token) {
        HeldPayouts.Row held = held(e.payoutId());
        if (held == null) {
            changePayoutRegister(c -> c.pay(e.payoutId(), e.valueDate()));
        } else if (held.status.equals("APPROVED")) {
            held.status = "PAID";
            held.paidOn = e.valueDate();
        }
        post(m, token, e.fundId(), e.payoutId(), TransactionKind.PAYOUT, e.valueDate(), null,
                e.category() + " payout", e.amount().currency(), JournalPostings.of(e));
    }

    /**
     * One part of a payout batch: one balanced entry for the part's total, and one paid payout
     * per line in the payout register, written in JDBC batches.
     */
    @EventHandler
    void on(PayoutBatchPartPaid e, EventMessage<?> m, TrackingToken token) {
        Object actor = m.getMetaData().get("actor");
        String requestedBy = actor == null ? "system" : actor.toString();
        Timestamp at = Timestamp.from(m.getTimestamp());
        List<BatchPayoutLine> lines = e.lines();
        if (rebuild) {
            for (int i = 0; i < lines.size(); i++) {
                hold(new HeldPayouts.Row(e.payoutId(i), e.fundId(),
                        lines.get(i).beneficiaryId(), e.category().name(),
                        lines.get(i).amountMinor(), e.partTotal().currency(), "PAID",
                        requestedBy, requestedBy, e.reason(), e.valueDate(), m.getTimestamp(),
                        e.valueDate()));
            }
        } else {
            insertBatchPayouts(e, requestedBy, at, lines);
        }
        post(m, token, e.fundId(), e.partTransactionId(), TransactionKind.PAYOUT_BATCH,
                e.valueDate(), null, e.category() + " payout batch " + e.batchId() + ", part "
                        + e.part() + " of " + e.parts() + ": " + lines.size() + " payouts",
                e.partTotal().currency(), JournalPostings.of(e));
    }

    private void insertBatchPayouts(PayoutBatchPartPaid e, String requestedBy, Timestamp at,
            List<BatchPayoutLine> lines) {
        String[] payoutIds = new String[lines.size()];
        String[] beneficiaries = new String[lines.size()];
        Long[] amounts = new Long[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            payoutIds[i] = e.payoutId(i);
            beneficiaries[i] = lines.get(i).beneficiaryId();
            amounts[i] = lines.get(i).amountMinor();
        }
        // The whole part in one statement. Within the threshold, a line is approved by its
        // request, so the requester is also recorded as the approver.
        jdbc.update("INSERT INTO payout_view (payout_id, fund_id,"
                        + " beneficiary_id, category,"
                        + " amount_minor, currency, status, requested_by, approved_by, reason,"
                        + " requested_on, requested_at, paid_on)"
                        + " SELECT l.payout_id, ?, l.beneficiary_id, ?, l.amount_minor, ?, 'PAID',"
                        + " ?, ?, ?, ?, ?, ? FROM unnest(?::varchar[], ?::varchar[], ?::bigint[])"
                        + " AS l (payout_id, beneficiary_id, amount_minor)"
                        + " ON CONFLICT (payout_id) DO NOTHING",
                e.fundId(), e.category().name(), e.partTotal().currency(), requestedBy,
                requestedBy, e.reason(), e.valueDate(), at, e.valueDate(), payoutIds,
                beneficiaries, amounts);
    }

    @EventHandler
    void on(TransactionReversed e, EventMessage<?> m, TrackingToken token) {
        String key = entryKey(e.fundId(), e.reversedTransactionId());
        // A batch's parts are entries of their own ("<batch>/p<n>"), never a recent entry.
        List<Posting> original;
        if (rebuild) {
            original = batchPartPositions.containsKey(key) ? null
                    : recentEntry(e.fundId(), e.reversedTransactionId());
        } else {
            original = e.reversedKind() == TransactionKind.PAYOUT_BATCH ? null
                    : liveRecent.get(key);
        }
        (original != null ? reversalsFromMemory : reversalsFromJournal).increment();
        if (original == null && rebuild && positionsKnown) {
            original = rebuiltEntry(e.fundId(), e.reversedTransactionId());
        }
        if (original == null) {
            original = journalEntry(e.fundId(), e.reversedTransactionId());
        }
        if (e.reversedKind() == TransactionKind.PAYOUT_BATCH) {
            // The batch's lines held are written first, for the statement to find them all.
            writeHeldPayouts();
            payoutRegister("UPDATE payout_view SET status = 'REVERSED'"
                    + " WHERE fund_id = ?"
                    + " AND left(payout_id, ?) = ? AND substr(payout_id, ?) ~ '^[0-9]+$'"
                    + " AND status = 'PAID'", e.fundId(), e.reversedTransactionId().length() + 1,
                    e.reversedTransactionId() + "/", e.reversedTransactionId().length() + 2);
        }
        if (original.isEmpty()) {
            throw new IllegalStateException("reversal " + e.transactionId()
                    + " names transaction " + e.reversedTransactionId()
                    + " which has no journal entry in fund " + e.fundId());
        }
        if (e.reversedKind() == TransactionKind.PAYOUT) {
            HeldPayouts.Row held = held(e.reversedTransactionId());
            if (held != null) {
                held.status = "REVERSED";
            } else {
                changePayoutRegister(c -> c.reverse(e.reversedTransactionId()));
            }
        }
        post(m, token, e.fundId(), e.transactionId(), TransactionKind.REVERSAL, e.valueDate(),
                e.reversedTransactionId(), "Reversal: " + e.reason(), e.amount().currency(),
                JournalPostings.reversing(original));
    }

    /**
     * The lines of a transaction's entry, found by its ids. A payout batch is one transaction
     * journalled as parts "<batch>/p<n>": its lines are those of every part.
     */
    private List<Posting> journalEntry(String fundId, String transactionId) {
        return db().query("SELECT l.account, l.amount_minor"
                        + " FROM journal_line l JOIN journal_entry j ON j.event_id = l.event_id"
                        + " WHERE j.fund_id = ? AND (j.transaction_id = ? OR (j.kind = ?"
                        + " AND j.transaction_id LIKE ? AND substr(j.transaction_id, ?) ~ '^[0-9]+$'))"
                        + " ORDER BY j.position, l.line_no",
                (rs, n) -> new Posting(rs.getString(1), rs.getLong(2)),
                fundId, transactionId, TransactionKind.PAYOUT_BATCH.name(),
                transactionId.replace("\\", "\\\\").replace("%", "\\%")
                        .replace("_", "\\_") + "/p%",
                transactionId.length() + 3);
    }

    /**
     * While rebuilding: the same lines, read by the positions remembered for the transaction
     * (and for the parts of a batch of that id). Null when a row read back does not belong to
     * the transaction (two ids hashed alike): the caller then looks it up by its ids.
     */
    private List<Posting> rebuiltEntry(String fundId, String transactionId) {
        List<Long> at = new ArrayList<>();
        long position = entryPositions.get(fundId, transactionId);
        if (position >= 0) {
            at.add(position);
        }
        at.addAll(batchPartPositions.getOrDefault(entryKey(fundId, transactionId), List.of()));
        if (at.isEmpty()) {
            return List.of();
        }
        List<Posting> lines = new ArrayList<>();
        boolean[] mismatch = {false};
        indexPositions().query("SELECT j.fund_id, j.transaction_id, j.kind, l.account,"
                        + " l.amount_minor FROM journal_entry j"
                        + " JOIN journal_line l ON l.position = j.position"
                        + " WHERE j.position = ANY (?) ORDER BY j.position, l.line_no",
                rs -> {
                    if (!fundId.equals(rs.getString(1)) || !(transactionId.equals(rs.getString(2))
                            || TransactionKind.PAYOUT_BATCH.name().equals(rs.getString(3))
                            && transactionId.equals(batchOf(rs.getString(2))))) {
                        mismatch[0] = true;
                    }
                    lines.add(new Posting(rs.getString(4), rs.getLong(5)));
                }, (Object) at.toArray(Long[]::new));
        return mismatch[0] ? null : lines;
    }

    /**
     * While rebuilding: the database, after every buffered entry is written, with the journal
     * indexed by position. The rebuilt journal starts without any index and gets this one only
     * when an entry is first read back (a reversal of one no longer kept in memory, or of a
     * batch): keeping an index up row by row cost PostgreSQL about as much as taking in the
     * rows, and a replay whose reversals are all of recent entries never reads the journal.
     */
    private JdbcTemplate indexPositions() {
        JdbcTemplate db = db();
        if (!positionsIndexed) {
            db.execute("CREATE INDEX ON journal_entry (position)");
            db.execute("CREATE INDEX ON journal_line (position)");
            positionsIndexed = true;
        }
        return db;
    }

    /** While rebuilding: how many reversals found the entry they reverse in memory. */
    public long reversedFoundInMemory() {
        return (long) reversalsFromMemory.count();
    }

    /** While rebuilding: how many reversals read the entry they reverse back from the journal. */
    public long reversedReadBack() {
        return (long) reversalsFromJournal.count();
    }

    /**
     * While rebuilding: the lines of a recent entry, found by the position remembered for its
     * ids among the recent entries' ascending positions; null when it is not among them (or
     * the position remembered is another entry's, whose ids hashed alike).
     */
    private List<Posting> recentEntry(String fundId, String transactionId) {
        long position = entryPositions.get(fundId, transactionId);
        int kept = (int) Math.min(recentCount, recentMax);
        if (position < 0 || kept == 0) {
            return null;
        }
        long oldest = recentCount - kept;
        int low = 0;
        int high = kept - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            RecentEntry entry = recentEntries[(int) ((oldest + middle) % recentMax)];
            if (entry.position() < position) {
                low = middle + 1;
            } else if (entry.position() > position) {
                high = middle - 1;
            } else {
                return entry.fundId().equals(fundId)
                        && entry.transactionId().equals(transactionId) ? entry.lines() : null;
            }
        }
        return null;
    }

    private record RecentEntry(long position, String fundId, String transactionId,
            List<Posting> lines) {
    }

    /** The key of a fund's transaction in the rebuild's maps of entries. */
    private static String entryKey(String fundId, String transactionId) {
        return fundId + '\0' + transactionId;
    }

    /** The batch id of a batch part's transaction id "<batch>/p<n>", or null. */
    private static String batchOf(String transactionId) {
        int slash = transactionId.lastIndexOf("/p");
        if (slash < 0 || slash + 2 == transactionId.length()) {
            return null;
        }
        for (int i = slash + 2; i < transactionId.length(); i++) {
            if (transactionId.charAt(i) < '0' || transactionId.charAt(i) > '9') {
                return null;
            }
        }
        return transactionId.substring(0, slash);
    }

    /**
     * Freezes the closing balances of the closed period. The journal is built by this same
     * processor, so every entry dated in the period is already in it when this event arrives.
     */
    @EventHandler
    void on(PeriodClosed e, EventMessage<?> m, TrackingToken token) {
        long position = positionOf(m, token);
        Object actor = m.getMetaData().get("actor");
        int inserted = jdbc.update("INSERT INTO period_close (fund_id, period, closed_through,"
                        + " closed_at, position, actor) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (fund_id, period) DO NOTHING",
                e.fundId(), e.period().toString(), e.closedThrough(),
                Timestamp.from(m.getTimestamp()), position,
                actor == null ? null : actor.toString());
        if (inserted == 0) {
            return;
        }
        db().update("INSERT INTO period_statement (fund_id, period, account, balance_minor)"
                        + " SELECT fund_id, ?, account, SUM(amount_minor) FROM journal_line"
                        + " WHERE fund_id = ? AND value_date <= ? GROUP BY fund_id, account",
                e.period().toString(), e.fundId(), e.closedThrough());
    }

    @EventHandler
    void on(LoanApplied e) {
        jdbc.update("INSERT INTO loan_view (loan_id, fund_id, borrower_id, principal_minor,"
                        + " currency, annual_rate, term_months, method, purpose, status, applied_by,"
                        + " applied_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'APPLIED', ?, ?)"
                        + " ON CONFLICT (loan_id) DO NOTHING",
                e.loanId(), e.fundId(), e.borrowerId(), e.principal().amountMinor(),
                e.principal().currency(), e.annualRate(), e.termMonths(), e.method().name(),
                e.purpose(), e.appliedBy(), e.valueDate());
    }

    @EventHandler
    void on(LoanApproved e) {
        jdbc.update("UPDATE loan_view SET status = 'APPROVED', decided_by = ?"
                + " WHERE loan_id = ? AND status = 'APPLIED'", e.approvedBy(), e.loanId());
    }

    @EventHandler
    void on(LoanRejected e) {
        jdbc.update("UPDATE loan_view SET status = 'REJECTED', decided_by = ?"
                + " WHERE loan_id = ? AND status = 'APPLIED'", e.rejectedBy(), e.loanId());
    }

    @EventHandler
    void on(LoanDisbursed e, EventMessage<?> m, TrackingToken token) {
        int changed = jdbc.update("UPDATE loan_view SET status = 'ACTIVE', disbursed_on = ?,"
                        + " outstanding_principal_minor = ?, schedule_version = 1"
                        + " WHERE loan_id = ? AND status = 'APPROVED'",
                e.valueDate(), e.principal().amountMinor(), e.loanId());
        if (changed > 0) {
            insertInstalments(e.loanId(), 1, e.schedule());
        }
        post(m, token, e.fundId(), e.loanId(), TransactionKind.LOAN_DISBURSEMENT, e.valueDate(),
                null, "Loan disbursed", e.principal().currency(), JournalPostings.of(e));
    }

    @EventHandler
    void on(RepaymentReceived e, EventMessage<?> m, TrackingToken token) {
        boolean fresh = postNow(m, token, e.fundId(), e.transactionId(),
                TransactionKind.LOAN_REPAYMENT, e.valueDate(), null,
                "Repayment of loan " + e.loanId(), e.amount().currency(), JournalPostings.of(e));
        if (!fresh) {
            return;
        }
        for (InstalmentPayment p : e.allocation()) {
            jdbc.update("INSERT INTO loan_payment (event_id, loan_id, number, value_date,"
                            + " principal_minor, interest_minor) VALUES (?, ?, ?, ?, ?, ?)",
                    m.getIdentifier(), e.loanId(), p.number(), e.valueDate(), p.principalMinor(),
                    p.interestMinor());
            jdbc.update("UPDATE loan_instalment SET principal_paid_minor = principal_paid_minor"
                            + " + ?, interest_paid_minor = interest_paid_minor + ?"
                            + " WHERE loan_id = ? AND number = ? AND superseded_by IS NULL",
                    p.principalMinor(), p.interestMinor(), e.loanId(), p.number());
        }
        jdbc.update("UPDATE loan_view SET outstanding_principal_minor = ?,"
                + " penalty_paid_minor = penalty_paid_minor + ? WHERE loan_id = ?",
                e.outstandingPrincipalMinor(), e.penaltyMinor(), e.loanId());
    }

    @EventHandler
    void on(LoanRescheduled e) {
        int from = e.remaining().get(0).number();
        int changed = jdbc.update("UPDATE loan_view SET schedule_version = ?"
                + " WHERE loan_id = ? AND schedule_version < ?", e.version(), e.loanId(),
                e.version());
        if (changed == 0) {
            return;
        }
        jdbc.update("UPDATE loan_instalment SET superseded_by = ? WHERE loan_id = ?"
                + " AND number >= ? AND superseded_by IS NULL", e.version(), e.loanId(), from);
        insertInstalments(e.loanId(), e.version(), e.remaining());
    }

    @EventHandler
    void on(LoanClosed e) {
        jdbc.update("UPDATE loan_view SET status = 'CLOSED', closed_on = ? WHERE loan_id = ?",
                e.valueDate(), e.loanId());
    }

    @EventHandler
    void on(LoanWrittenOff e, EventMessage<?> m, TrackingToken token) {
        jdbc.update("UPDATE loan_view SET status = 'WRITTEN_OFF', closed_on = ?,"
                + " outstanding_principal_minor = 0 WHERE loan_id = ?", e.valueDate(), e.loanId());
        post(m, token, e.fundId(), e.loanId() + ":write-off", TransactionKind.LOAN_WRITE_OFF,
                e.valueDate(), null, "Loan " + e.loanId() + " written off: " + e.reason(),
                e.principalWrittenOff().currency(), JournalPostings.of(e));
    }

    @EventHandler
    void on(WrittenOffRecoveryReceived e, EventMessage<?> m, TrackingToken token) {
        post(m, token, e.fundId(), e.transactionId(), TransactionKind.LOAN_RECOVERY,
                e.valueDate(), null, "Recovery on written-off loan " + e.loanId(),
                e.amount().currency(), JournalPostings.of(e));
    }

    @EventHandler
    void on(LoanConvertedToGrant e, EventMessage<?> m, TrackingToken token) {
        jdbc.update("UPDATE loan_view SET status = 'CONVERTED', closed_on = ?,"
                + " outstanding_principal_minor = 0 WHERE loan_id = ?", e.valueDate(), e.loanId());
        post(m, token, e.fundId(), e.loanId() + ":conversion", TransactionKind.LOAN_CONVERSION,
                e.valueDate(), null, "Loan " + e.loanId() + " settled by a grant of fund "
                        + e.hardshipFundId() + ": " + e.reason(),
                e.principalSettled().currency(), JournalPostings.of(e));
    }

    @EventHandler
    void on(LoanGrantPaid e, EventMessage<?> m, TrackingToken token) {
        post(m, token, e.fundId(), e.loanFundId() + ":" + e.loanId() + ":grant",
                TransactionKind.LOAN_GRANT, e.valueDate(), null, "Grant settling loan "
                        + e.loanId() + " of fund " + e.loanFundId() + ": " + e.reason(),
                e.amount().currency(), JournalPostings.of(e));
    }

    @EventHandler
    void on(SubsidisedLoanRegistered e) {
        int inserted = jdbc.update("INSERT INTO subsidised_loan_view (loan_id, fund_id,"
                        + " partner_id, borrower_id, principal_minor, currency, annual_rate,"
                        + " term_months, method, subsidy_share, subsidy_cap_minor, status,"
                        + " registered_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?)"
                        + " ON CONFLICT (loan_id) DO NOTHING",
                e.loanId(), e.fundId(), e.partnerId(), e.borrowerId(),
                e.principal().amountMinor(), e.principal().currency(), e.annualRate(),
                e.termMonths(), e.method().name(), e.subsidyShare(),
                e.subsidyCap().amountMinor(), e.valueDate());
        if (inserted == 0) {
            return;
        }
        for (ScheduledInstalment i : e.schedule()) {
            jdbc.update("INSERT INTO subsidised_instalment (loan_id, number, due_date,"
                    + " principal_minor, interest_minor) VALUES (?, ?, ?, ?, ?)", e.loanId(),
                    i.number(), i.dueDate(), i.principalMinor(), i.interestMinor());
        }
    }

    @EventHandler
    void on(InterestSubsidyPaid e, EventMessage<?> m, TrackingToken token) {
        boolean fresh = postNow(m, token, e.fundId(), e.transactionId(),
                TransactionKind.INTEREST_SUBSIDY, e.valueDate(), null, "Interest subsidy, loan "
                        + e.loanId() + " period " + e.period() + ", partner " + e.partnerId(),
                e.amount().currency(), JournalPostings.of(e));
        if (!fresh) {
            return;
        }
        jdbc.update("INSERT INTO subsidy_payment (transaction_id, loan_id, fund_id, partner_id,"
                        + " period, amount_minor, currency, value_date, position)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e.transactionId(), e.loanId(),
                e.fundId(), e.partnerId(), e.period(), e.amount().amountMinor(),
                e.amount().currency(), e.valueDate(), positionOf(m, token));
        jdbc.update("UPDATE subsidised_loan_view SET subsidy_paid_minor = subsidy_paid_minor + ?"
                + " WHERE loan_id = ?", e.amount().amountMinor(), e.loanId());
    }

    @EventHandler
    void on(SubsidyShortfallFlagged e) {
        jdbc.update("INSERT INTO subsidy_shortfall (loan_id, period, fund_id, partner_id,"
                        + " due_minor, reserve_minor, due_date) VALUES (?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING", e.loanId(), e.period(), e.fundId(),
                e.partnerId(), e.dueMinor(), e.reserveMinor(), e.dueDate());
    }

    @EventHandler
    void on(PartnerLoanEnded e) {
        jdbc.update("UPDATE subsidised_loan_view SET status = 'ENDED', end_reason = ?,"
                + " ended_on = ? WHERE loan_id = ?", e.reason().name(), e.endedOn(), e.loanId());
    }

    @EventHandler
    void on(PenaltyAccrued e) {
        // Accruals of one loan have strictly later dates, which makes this idempotent.
        jdbc.update("UPDATE loan_view SET penalty_accrued_minor = penalty_accrued_minor + ?,"
                + " penalty_through = ? WHERE loan_id = ? AND (penalty_through IS NULL"
                + " OR penalty_through < ?)", e.amountMinor(), e.through(), e.loanId(),
                e.through());
    }

    @EventHandler
    void on(LoanOverdue e) {
        int inserted = jdbc.update("INSERT INTO loan_overdue (loan_id, number, due_date,"
                        + " unpaid_minor) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                e.loanId(), e.number(), e.dueDate(), e.unpaidMinor());
        if (inserted > 0) {
            jdbc.update("UPDATE loan_view SET overdue_since = LEAST(COALESCE(overdue_since, ?),"
                    + " ?) WHERE loan_id = ?", e.dueDate(), e.dueDate(), e.loanId());
        }
    }

    private void insertInstalments(String loanId, int version,
            List<ScheduledInstalment> instalments) {
        for (ScheduledInstalment i : instalments) {
            jdbc.update("INSERT INTO loan_instalment (loan_id, version, number, due_date,"
                            + " principal_minor, interest_minor) VALUES (?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING", loanId, version, i.number(), i.dueDate(),
                    i.principalMinor(), i.interestMinor());
        }
    }

    @ResetHandler
    void reset() {
        if (liveRecent != null) {
            liveRecent.clear();
        }
        db().execute("TRUNCATE journal_line, journal_entry, account_balance, payout_view,"
                + " period_close, period_statement, loan_view, loan_instalment, loan_payment,"
                + " subsidised_loan_view, subsidised_instalment, subsidy_payment, loan_overdue,"
                + " subsidy_shortfall");
    }

    /** The unit of work's resource: the funds whose balances it changes (see changing). */
    private static final String CHANGING_FUNDS = LedgerProjection.class.getName() + ".funds";

    /**
     * Live, in a processor's unit of work: the fund's balances change in its transaction.
     * This node's {@link BalanceCache} keeps nothing for the fund from now until the unit of
     * work's clean-up, after its transaction has committed or rolled back, so that this node
     * never answers with a balance the commit replaced. (Other nodes hear of the change from
     * the read models' triggers, migration V13, which announce every change on commit.)
     */
    private void changing(String fundId) {
        // No cache while rebuilding (rebuilding() passes none).
        if (balanceCache == null || !CurrentUnitOfWork.isStarted()) {
            return;
        }
        var unitOfWork = CurrentUnitOfWork.get();
        java.util.Set<String> funds = unitOfWork.getOrComputeResource(CHANGING_FUNDS, k -> {
            java.util.Set<String> changed = new java.util.HashSet<>();
            unitOfWork.onCleanup(u -> changed.forEach(balanceCache::changed));
            return changed;
        });
        if (funds.add(fundId)) {
            balanceCache.changing(fundId);
        }
    }

    /** A journal entry waiting to be written with the others of its batch. */
    private record Pending(String eventId, Long knownPosition, String fundId,
            String transactionId, TransactionKind kind, LocalDate valueDate, Timestamp recordedAt,
            String reversesTransactionId, String description, String actor, String currency,
            List<Posting> postings) {
    }

    /** Entries not yet written, per thread: a processor's segments run on threads of their own. */
    private final ThreadLocal<List<Pending>> pending = ThreadLocal.withInitial(ArrayList::new);

    /** Entries buffered outside a unit of work (a replay) are written at this many. */
    public static final int PENDING_MAX = 10_000;

    /**
     * While rebuilding: the statements reversing a payout batch's lines, not yet run, each with
     * its rows of arguments; run in JDBC batches after the payout-register changes (a batch's
     * lines are never among the single payouts those change). No handler reads the register.
     */
    private final Map<String, List<Object[]>> payoutStatements = new LinkedHashMap<>();

    private void payoutRegister(String sql, Object... args) {
        if (!rebuild) {
            jdbc.update(sql, args);
            return;
        }
        payoutStatements.computeIfAbsent(sql, k -> new ArrayList<>()).add(args);
    }

    /**
     * The payout register's changes not yet written, on this thread ({@link
     * PayoutRegisterChanges}): live, the processor's batch, written when its unit of work
     * prepares to commit; while rebuilding, those of payouts whose rows were already written
     * (see {@link HeldPayouts}), written with the journal.
     */
    private final ThreadLocal<PayoutRegisterChanges> payoutChanges =
            ThreadLocal.withInitial(PayoutRegisterChanges::new);

    /**
     * Adds the change to this thread's payout-register changes: while rebuilding, written with
     * the journal's next batch; live, when the processor's unit of work prepares to commit, or
     * at once outside a unit of work (a handler called directly).
     */
    private void changePayoutRegister(Consumer<PayoutRegisterChanges> change) {
        PayoutRegisterChanges changes = payoutChanges.get();
        if (rebuild) {
            change.accept(changes);
            return;
        }
        if (!CurrentUnitOfWork.isStarted()) {
            change.accept(changes);
            changes.write(jdbc);
            return;
        }
        if (changes.isEmpty()) {
            var unitOfWork = CurrentUnitOfWork.get();
            unitOfWork.onPrepareCommit(u -> changes.write(jdbc));
            unitOfWork.onCleanup(u -> changes.clear());
        }
        change.accept(changes);
    }

    /** While rebuilding: the held payout's register row, changed in memory; else null. */
    private HeldPayouts.Row held(String payoutId) {
        return rebuild ? heldPayouts.get(payoutId) : null;
    }

    private void hold(HeldPayouts.Row row) {
        if (heldPayouts.hold(row)) {
            writeHeldPayouts();
        }
    }

    /** While rebuilding: writes the held payout rows, after the journal's COPY in flight. */
    private void writeHeldPayouts() {
        if (!rebuild) {
            return;
        }
        awaitCopy();
        heldPayouts.write(jdbc);
    }

    /** While rebuilding: runs the payout register's changes and statements not yet run. */
    private void writePayoutRegister() {
        if (!rebuild) {
            return;
        }
        payoutChanges.get().write(jdbc);
        for (Map.Entry<String, List<Object[]>> statement : payoutStatements.entrySet()) {
            jdbc.batchUpdate(statement.getKey(), statement.getValue());
        }
        payoutStatements.clear();
    }

    /**
     * The database, after every buffered entry is written, for a handler that reads the journal
     * (or truncates it): it sees the journal exactly as if each entry had been written when
     * posted. Handlers that only write the other read models use {@link #jdbc} and leave the
     * buffer alone: writing it before each of them cost four round trips an event (before each
     * part of a 100,000-payout batch, half the projection's time in W2).
     */
    private JdbcTemplate db() {
        flushJournal();
        return jdbc;
    }

    /**
     * Buffers the entry; the buffer is written in JDBC batches when the processor's unit of work
     * prepares to commit (in the transaction that also stores its token), before any handler
     * touches the database directly, or by {@link #flush()}. An entry already written (a replayed
     * event) is skipped then.
     */
    private void post(EventMessage<?> m, TrackingToken token, String fundId,
            String transactionId, TransactionKind kind, LocalDate valueDate,
            String reversesTransactionId, String description, String currency,
            List<Posting> postings) {
        requireBalanced(m, postings);
        changing(fundId);
        List<Pending> buffer = pending.get();
        boolean inUnitOfWork = CurrentUnitOfWork.isStarted();
        if (buffer.isEmpty() && inUnitOfWork) {
            var unitOfWork = CurrentUnitOfWork.get();
            unitOfWork.onPrepareCommit(u -> flush());
            unitOfWork.onCleanup(u -> pending.get().clear());
        }
        Object actor = m.getMetaData().get("actor");
        Long position = exactPosition(token);
        List<Posting> lines = List.copyOf(postings);
        if (rebuild) {
            remember(fundId, transactionId, kind, position);
            if (recentMax > 0 && position != null) {
                recentEntries[(int) (recentCount++ % recentMax)] = new RecentEntry(position,
                        fundId, transactionId, lines);
            }
        } else if (recentMax > 0 && kind != TransactionKind.PAYOUT_BATCH) {
            liveRecent.put(entryKey(fundId, transactionId), lines);
        }
        buffer.add(new Pending(m.getIdentifier(), position, fundId, transactionId,
                kind, valueDate, Timestamp.from(recordedAt(m)), reversesTransactionId,
                description, actor == null ? null : actor.toString(), currency, lines));
        if (!inUnitOfWork && buffer.size() >= pendingMax) {
            write();
        }
    }

    private void remember(String fundId, String transactionId, TransactionKind kind,
            Long position) {
        if (position == null) {
            positionsKnown = false;
            return;
        }
        entryPositions.put(fundId, transactionId, position);
        String batch = kind == TransactionKind.PAYOUT_BATCH ? batchOf(transactionId) : null;
        if (batch != null) {
            batchPartPositions.computeIfAbsent(entryKey(fundId, batch), k -> new ArrayList<>())
                    .add(position);
        }
    }

    /** Posts the entry at once; false when this event's entry was already there. */
    private boolean postNow(EventMessage<?> m, TrackingToken token, String fundId,
            String transactionId, TransactionKind kind, LocalDate valueDate,
            String reversesTransactionId, String description, String currency,
            List<Posting> postings) {
        flushJournal();
        post(m, token, fundId, transactionId, kind, valueDate, reversesTransactionId,
                description, currency, postings);
        return flushJournal() == 1;
    }

    private static void requireBalanced(EventMessage<?> m, List<Posting> postings) {
        long sum = 0;
        for (Posting posting : postings) {
            sum = Math.addExact(sum, posting.amountMinor());
        }
        if (sum != 0) {
            throw new IllegalStateException("unbalanced entry for " + m.getIdentifier());
        }
    }

    /**
     * Writes the buffered entries: their positions in one lookup, then entries, lines and the
     * balance changes (summed per account) each in one JDBC batch. Returns how many entries were
     * new. A replay calls it before it commits; a processor's unit of work calls it itself.
     * Everything is written when it returns, while rebuilding also the payout-register
     * statements and the balances held back in memory.
     */
    public int flush() {
        int written = flushJournal();
        writeHeldPayouts();
        writePayoutRegister();
        if (!unwrittenBalances.isEmpty()) {
            writeBalances(unwrittenBalances);
            unwrittenBalances.clear();
        }
        return written;
    }

    /** Writes the buffered entries; while rebuilding, the balances stay in memory. */
    private int flushJournal() {
        int written = write();
        awaitCopy();
        return written;
    }

    /**
     * {@link #flush()}, except that while rebuilding, the journal's COPY may still be running
     * when it returns: the handlers go on with the next events meanwhile (a replay had its
     * cores a third idle without). Whatever next uses the connection waits for the COPY, as
     * the driver runs one statement at a time; a handler that reads the journal calls
     * {@link #flushJournal()} first, and the replay calls {@link #flush()} before it commits.
     */
    private int write() {
        List<Pending> buffer = pending.get();
        if (buffer.isEmpty()) {
            return 0;
        }
        List<Pending> batch = List.copyOf(buffer);
        buffer.clear();
        Map<String, Long> positions = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Pending p : batch) {
            if (p.knownPosition() == null) {
                unknown.add(p.eventId());
            }
        }
        if (!unknown.isEmpty()) {
            jdbc.query("SELECT eventidentifier, globalindex FROM domainevententry"
                    + " WHERE eventidentifier = ANY (?)",
                    rs -> {
                        positions.put(rs.getString(1), rs.getLong(2));
                    }, (Object) unknown.toArray(String[]::new));
        }
        ToLongFunction<Pending> at = p -> p.knownPosition() != null ? p.knownPosition()
                : positions.getOrDefault(p.eventId(), -1L);
        if (rebuild) {
            writePayoutRegister();
            awaitCopy();
            // Encoded, summed into the balances held in memory and sent on the copying thread,
            // while this one goes on with the next events: the entries are immutable, and
            // nothing reads the held balances before flush() has waited for this COPY.
            copying = copier.submit(() -> {
                sumBalances(batch, at, unwrittenBalances);
                copyJournal(batch, at);
            });
            return batch.size();
        }
        List<Pending> fresh = insertJournal(batch, at);
        if (fresh.isEmpty()) {
            return 0;
        }
        Map<List<String>, long[]> balances = new LinkedHashMap<>();
        sumBalances(fresh, at, balances);
        writeBalances(balances);
        return fresh.size();
    }

    /**
     * Adds the entries' balance changes, per fund, account and currency, to {@code balances}:
     * {sum, highest position}.
     */
    private static void sumBalances(List<Pending> entries, ToLongFunction<Pending> at,
            Map<List<String>, long[]> balances) {
        for (Pending p : entries) {
            for (Posting posting : p.postings()) {
                long[] b = balances.computeIfAbsent(List.of(p.fundId(), posting.account(),
                        p.currency()), k -> new long[] {0, Long.MIN_VALUE});
                b[0] = Math.addExact(b[0], posting.amountMinor());
                b[1] = Math.max(b[1], at.applyAsLong(p));
            }
        }
    }

    /** Adds the balance changes to the balances, as one statement. */
    private void writeBalances(Map<List<String>, long[]> balances) {
        List<Map.Entry<List<String>, long[]>> sums = List.copyOf(balances.entrySet());
        // The position kept is the highest applied, whatever order the events arrived in.
        jdbc.update("INSERT INTO account_balance (fund_id, account, balance_minor, currency,"
                        + " position) SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[],"
                        + " ?::varchar[], ?::bigint[]) ON CONFLICT (fund_id, account)"
                        + " DO UPDATE SET balance_minor = account_balance.balance_minor"
                        + " + EXCLUDED.balance_minor,"
                        + " position = GREATEST(account_balance.position, EXCLUDED.position)",
                column(sums, e -> e.getKey().get(0), String[]::new),
                column(sums, e -> e.getKey().get(1), String[]::new),
                column(sums, e -> e.getValue()[0], Long[]::new),
                column(sums, e -> e.getKey().get(2), String[]::new),
                column(sums, e -> e.getValue()[1], Long[]::new));
    }

    /** Waits for the journal's COPY, if one runs, and throws what made it fail. */
    private void awaitCopy() {
        Future<?> running = copying;
        if (running == null) {
            return;
        }
        copying = null;
        try {
            running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the journal was written", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the journal could not be written", e.getCause());
        }
    }

    /**
     * Inserts the entries and the lines of those not already there (a replayed event's entry
     * is), each table in one statement: rows travel as arrays and are unnested. Returns the
     * entries that were new.
     */
    private List<Pending> insertJournal(List<Pending> batch, ToLongFunction<Pending> at) {
        Set<String> inserted = new HashSet<>(jdbc.queryForList(
                "INSERT INTO journal_entry (event_id, position, fund_id, transaction_id, kind,"
                        + " value_date, recorded_at, reverses_transaction_id, description, actor,"
                        + " currency) SELECT * FROM unnest(?::varchar[], ?::bigint[],"
                        + " ?::varchar[], ?::varchar[], ?::varchar[], ?::date[], ?::timestamptz[],"
                        + " ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[])"
                        + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id", String.class,
                column(batch, Pending::eventId, String[]::new),
                column(batch, at::applyAsLong, Long[]::new),
                column(batch, Pending::fundId, String[]::new),
                column(batch, Pending::transactionId, String[]::new),
                column(batch, p -> p.kind().name(), String[]::new),
                column(batch, p -> p.valueDate().toString(), String[]::new),
                column(batch, p -> p.recordedAt().toInstant().toString(), String[]::new),
                column(batch, Pending::reversesTransactionId, String[]::new),
                column(batch, Pending::description, String[]::new),
                column(batch, Pending::actor, String[]::new),
                column(batch, Pending::currency, String[]::new)));
        List<Pending> fresh = batch.stream().filter(p -> inserted.remove(p.eventId())).toList();
        if (fresh.isEmpty()) {
            return fresh;
        }
        record Line(Pending entry, int lineNo, Posting posting) {
        }
        List<Line> lines = new ArrayList<>();
        for (Pending p : fresh) {
            int lineNo = 0;
            for (Posting posting : p.postings()) {
                lines.add(new Line(p, lineNo++, posting));
            }
        }
        jdbc.update("INSERT INTO journal_line (event_id, line_no, fund_id, account, amount_minor,"
                        + " value_date, position) SELECT * FROM unnest(?::varchar[], ?::int[],"
                        + " ?::varchar[], ?::varchar[], ?::bigint[], ?::date[], ?::bigint[])",
                column(lines, l -> l.entry().eventId(), String[]::new),
                column(lines, Line::lineNo, Integer[]::new),
                column(lines, l -> l.entry().fundId(), String[]::new),
                column(lines, l -> l.posting().account(), String[]::new),
                column(lines, l -> l.posting().amountMinor(), Long[]::new),
                column(lines, l -> l.entry().valueDate().toString(), String[]::new),
                column(lines, l -> at.applyAsLong(l.entry()), Long[]::new));
        return fresh;
    }

    /**
     * Writes entries and lines that are all new (rebuilding) with COPY, PostgreSQL's bulk load,
     * in its binary format, sent as they are encoded ({@link CopyBinary#stream}).
     */
    private void copyJournal(List<Pending> batch, ToLongFunction<Pending> at) {
        jdbc.execute((ConnectionCallback<Void>) c -> {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            journalEntries.stream(copy.copyIn("COPY journal_entry (event_id, position, fund_id,"
                    + " transaction_id, kind, value_date, recorded_at, reverses_transaction_id,"
                    + " description, actor, currency) FROM STDIN (FORMAT binary)"), batch,
                    (rows, p) -> entryRow(rows, p, at.applyAsLong(p)));
            journalLines.stream(copy.copyIn("COPY journal_line (event_id, line_no, fund_id,"
                    + " account, amount_minor, value_date, position) FROM STDIN (FORMAT binary)"),
                    batch, (rows, p) -> lineRows(rows, p, at.applyAsLong(p)));
            return null;
        });
    }

    private static void entryRow(CopyBinary rows, Pending p, long position) {
        rows.row(11).text(p.eventId()).int8Field(position).text(p.fundId())
                .text(p.transactionId()).text(p.kind().name()).date(p.valueDate())
                .timestamptz(p.recordedAt().toInstant()).text(p.reversesTransactionId())
                .text(p.description()).text(p.actor()).text(p.currency());
    }

    private static void lineRows(CopyBinary rows, Pending p, long position) {
        int lineNo = 0;
        for (Posting posting : p.postings()) {
            rows.row(7).text(p.eventId()).int4Field(lineNo++).text(p.fundId())
                    .text(posting.account()).int8Field(posting.amountMinor())
                    .date(p.valueDate()).int8Field(position);
        }
    }

    /**
     * One column of a batch as an array, for an {@code unnest(?::type[])} parameter: the driver
     * sends String[] as varchar[] and Long[] or Integer[] as int8[] or int4[].
     */
    private static <T, R> R[] column(List<T> rows, java.util.function.Function<T, R> value,
            java.util.function.IntFunction<R[]> array) {
        return rows.stream().map(value).toArray(array);
    }

    /** The event's own index when the token says it exactly (a replay in index order). */
    private static Long exactPosition(TrackingToken token) {
        return token instanceof GlobalSequenceTrackingToken g ? g.getGlobalIndex() : null;
    }

    /**
     * The event's own global index, read from the event table. A tracking token cannot give it:
     * when transactions commit out of order, an event that fills a gap arrives with a token whose
     * position is the highest index already seen, not its own.
     */
    private long positionOf(EventMessage<?> m, TrackingToken fallback) {
        Long exact = exactPosition(fallback);
        if (exact != null) {
            return exact;
        }
        List<Long> index = jdbc.queryForList("SELECT globalindex FROM domainevententry"
                + " WHERE eventidentifier = ?", Long.class, m.getIdentifier());
        if (!index.isEmpty()) {
            return index.get(0);
        }
        return fallback == null ? -1 : fallback.position().orElse(-1);
    }

    private static Instant recordedAt(EventMessage<?> m) {
        return m.getTimestamp();
    }
}
