-- Which shape of the read models the projections last filled. When the code's version differs
-- (a migration added or changed a read model), the service rebuilds them from the events at start.
CREATE TABLE read_model_version (
    id      SMALLINT NOT NULL PRIMARY KEY CHECK (id = 1),
    version INTEGER  NOT NULL
);
