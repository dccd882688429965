package org.aidledger.infra.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The chain head over REST, verification on demand, and the periodic digest log that pins the
 * head at moments in the past so that a rewrite of the whole chain shows.
 */
@RestController
@RequestMapping(path = "/api/v1/audit",
        produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "audit", description = "Tamper evidence: the event chain's head and its verification")
public class AuditController {

    private static final Logger log = LoggerFactory.getLogger(AuditController.class);

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;

    public AuditController(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** The head of the chain: how many events are linked and the digest of the last link. */
    public record ChainHead(long position, long globalIndex, String digest, Instant updatedAt) {
    }

    @GetMapping("/chain/head")
    @Operation(summary = "The head of the tamper-evident event chain")
    public ChainHead head() {
        return jdbc.queryForObject("SELECT h.chain_seq, COALESCE(c.global_index, 0),"
                        + " encode(h.digest, 'hex'), h.updated_at FROM event_chain_head h"
                        + " LEFT JOIN event_chain c ON c.chain_seq = h.chain_seq WHERE h.id = 1",
                (rs, n) -> new ChainHead(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()));
    }

    @PostMapping("/verify")
    @Operation(summary = "Recompute the chain from the events and report the first difference")
    public ChainVerifier.Result verify() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return ChainVerifier.verify(connection, null);
        }
    }

    /** Logs the head when it has moved since the last entry. */
    @Scheduled(fixedDelayString = "${ledger.audit.digest-log-interval:PT5M}",
            initialDelayString = "${ledger.audit.digest-log-interval:PT5M}")
    public void logHead() {
        int rows = jdbc.update("INSERT INTO chain_digest_log (recorded_at, chain_seq, digest)"
                + " SELECT now(), h.chain_seq, h.digest FROM event_chain_head h WHERE h.id = 1"
                + " AND h.chain_seq > 0 AND h.chain_seq > COALESCE((SELECT max(chain_seq)"
                + " FROM chain_digest_log), 0)");
        if (rows > 0) {
            log.info("chain head logged: {}", head());
        }
    }
}
