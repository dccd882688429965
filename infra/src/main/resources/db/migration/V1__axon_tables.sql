-- Axon Framework 4's JDBC tables, in the shape its PostgreSQL table factories create, so that
-- Flyway, not Axon, owns the schema. Names are unquoted and so lower-case.

CREATE TABLE domainevententry (
    globalindex         BIGSERIAL    NOT NULL,
    aggregateidentifier VARCHAR(255) NOT NULL,
    sequencenumber      BIGINT       NOT NULL,
    type                VARCHAR(255),
    eventidentifier     VARCHAR(255) NOT NULL,
    metadata            BYTEA,
    payload             BYTEA        NOT NULL,
    payloadrevision     VARCHAR(255),
    payloadtype         VARCHAR(255) NOT NULL,
    timestamp           VARCHAR(255) NOT NULL,
    PRIMARY KEY (globalindex),
    UNIQUE (aggregateidentifier, sequencenumber),
    UNIQUE (eventidentifier)
);

CREATE TABLE snapshotevententry (
    aggregateidentifier VARCHAR(255) NOT NULL,
    sequencenumber      BIGINT       NOT NULL,
    type                VARCHAR(255) NOT NULL,
    eventidentifier     VARCHAR(255) NOT NULL,
    metadata            BYTEA,
    payload             BYTEA        NOT NULL,
    payloadrevision     VARCHAR(255),
    payloadtype         VARCHAR(255) NOT NULL,
    timestamp           VARCHAR(255) NOT NULL,
    PRIMARY KEY (aggregateidentifier, sequencenumber),
    UNIQUE (eventidentifier)
);

CREATE TABLE tokenentry (
    processorname VARCHAR(255) NOT NULL,
    segment       INTEGER      NOT NULL,
    token         BYTEA,
    tokentype     VARCHAR(255),
    timestamp     VARCHAR(255),
    owner         VARCHAR(255),
    PRIMARY KEY (processorname, segment)
);

CREATE TABLE sagaentry (
    sagaid         VARCHAR(255) NOT NULL,
    revision       VARCHAR(255),
    sagatype       VARCHAR(255),
    serializedsaga BYTEA,
    PRIMARY KEY (sagaid)
);

CREATE TABLE associationvalueentry (
    id               BIGSERIAL    NOT NULL,
    associationkey   VARCHAR(255) NOT NULL,
    associationvalue VARCHAR(255),
    sagatype         VARCHAR(255) NOT NULL,
    sagaid           VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
);
-- Axon's saga schema has no indexes; every saga lookup filters on these columns.
CREATE INDEX associationvalueentry_lookup
    ON associationvalueentry (sagatype, associationkey, associationvalue);
CREATE INDEX associationvalueentry_saga ON associationvalueentry (sagaid, sagatype);

CREATE TABLE deadletterentry (
    deadletterid       VARCHAR(255) NOT NULL,
    processinggroup    VARCHAR(255) NOT NULL,
    sequenceidentifier VARCHAR(255) NOT NULL,
    sequenceindex      BIGINT       NOT NULL,
    messagetype        VARCHAR(255) NOT NULL,
    eventidentifier    VARCHAR(255) NOT NULL,
    timestamp          VARCHAR(255) NOT NULL,
    payloadtype        VARCHAR(255) NOT NULL,
    payloadrevision    VARCHAR(255),
    payload            BYTEA        NOT NULL,
    metadata           BYTEA,
    aggregatetype      VARCHAR(255),
    aggregateidentifier VARCHAR(255),
    sequencenumber     BIGINT,
    tokentype          VARCHAR(255),
    token              BYTEA,
    enqueuedat         VARCHAR(255) NOT NULL,
    lasttouched        VARCHAR(255),
    processingstarted  VARCHAR(255),
    causetype          VARCHAR(255),
    causemessage       VARCHAR(1023),
    diagnostics        BYTEA,
    PRIMARY KEY (deadletterid),
    CONSTRAINT sequenceindex_index UNIQUE (processinggroup, sequenceidentifier, sequenceindex)
);
CREATE INDEX processinggroup_index ON deadletterentry (processinggroup);
CREATE INDEX sequenceidentifier_index ON deadletterentry (processinggroup, sequenceidentifier);
