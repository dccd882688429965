package org.aidledger.infra;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Runs every role of Aid Ledger in one process: commands, projections, REST and gRPC. */
@SpringBootApplication(scanBasePackages = "org.aidledger")
@EnableScheduling
public class LedgerApplication {

    static {
        // Axon 4.12+ phones home to check for updates; this ledger makes no outside calls.
        if (System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
    }

    public static void main(String[] args) {
        SpringApplication.run(LedgerApplication.class, args);
    }
}
