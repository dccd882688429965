-- db-scheduler's table, where Axon's DbSchedulerDeadlineManager keeps deadlines (loan due dates)
-- so that they survive a restart and fire on exactly one node.
CREATE TABLE scheduled_tasks (
    task_name            TEXT                     NOT NULL,
    task_instance        TEXT                     NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- Instalments found unpaid by their due-date deadline, and when a loan first fell overdue.
CREATE TABLE loan_overdue (
    loan_id      VARCHAR(64) NOT NULL,
    number       INTEGER     NOT NULL,
    due_date     DATE        NOT NULL,
    unpaid_minor BIGINT      NOT NULL,
    PRIMARY KEY (loan_id, number, due_date)
);
ALTER TABLE loan_view ADD COLUMN overdue_since DATE;
