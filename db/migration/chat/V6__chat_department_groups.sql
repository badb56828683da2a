-- Department groups: a group per department whose membership follows the org chart.
ALTER TABLE chat.conversation DROP CONSTRAINT conversation_kind_check;
ALTER TABLE chat.conversation ADD CONSTRAINT conversation_kind_check CHECK (kind IN ('DIRECT', 'GROUP', 'DEPARTMENT'));

CREATE TABLE chat.department_group (
    conversation_id         uuid    PRIMARY KEY REFERENCES chat.conversation (id),
    -- The org module's department (no foreign key across module schemas).
    department_id           uuid    NOT NULL UNIQUE,
    include_sub_departments boolean NOT NULL
);
