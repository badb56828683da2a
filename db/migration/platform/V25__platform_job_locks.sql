-- ShedLock's lock rows: one per scheduled job that runs on one node at a time (platform.ScheduledJobs).
-- A node holds a job while lock_until is in the future by the database's clock, so the nodes'
-- own clocks never decide who runs. The layout is the one ShedLock's JDBC provider expects.
CREATE TABLE platform.shedlock (
    name       varchar(64)  NOT NULL PRIMARY KEY,
    lock_until timestamp    NOT NULL,
    locked_at  timestamp    NOT NULL,
    locked_by  varchar(255) NOT NULL
);
