-- The tamper-evident chain. Each appended event gets one link, in the transaction that appends
-- it: digest = SHA-256(previous digest || canonical event row); see ChainDigest for the form.
CREATE TABLE event_chain (
    chain_seq        BIGINT       NOT NULL PRIMARY KEY,
    global_index     BIGINT       NOT NULL UNIQUE,
    event_identifier VARCHAR(255) NOT NULL UNIQUE,
    digest           BYTEA        NOT NULL
);

-- The head of the chain; its row lock serialises the linking of concurrent appends.
CREATE TABLE event_chain_head (
    id         SMALLINT    NOT NULL PRIMARY KEY CHECK (id = 1),
    chain_seq  BIGINT      NOT NULL,
    digest     BYTEA       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
INSERT INTO event_chain_head (id, chain_seq, digest, updated_at)
VALUES (1, 0, decode(repeat('00', 32), 'hex'), now());

-- The head as it stood at moments in the past, so that a rewrite of the whole chain is caught.
CREATE TABLE chain_digest_log (
    id          BIGSERIAL   NOT NULL PRIMARY KEY,
    recorded_at TIMESTAMPTZ NOT NULL,
    chain_seq   BIGINT      NOT NULL,
    digest      BYTEA       NOT NULL
);
