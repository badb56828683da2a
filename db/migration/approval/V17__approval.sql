-- Approval workflows: templates with versioned forms and flows, instances routed through the
-- org chart, their tasks and timeline, and the cards that show them in chat.
CREATE SCHEMA IF NOT EXISTS approval;

-- Approval roles (角色): named groups of people a flow can route to, such as "HR" or "Treasury".
CREATE TABLE approval.role (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL,
    version    bigint      NOT NULL
);

CREATE TABLE approval.role_holder (
    role_id uuid NOT NULL REFERENCES approval.role (id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    PRIMARY KEY (role_id, user_id)
);

CREATE TABLE approval.template (
    id              uuid PRIMARY KEY,
    name            text        NOT NULL,
    category        text        NOT NULL,
    enabled         boolean     NOT NULL,
    current_version integer     NOT NULL,
    created_by      uuid        NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint      NOT NULL
);
CREATE INDEX template_by_category ON approval.template (category, name);

-- Every published version stays: running instances keep the one they started on.
CREATE TABLE approval.template_version (
    template_id  uuid        NOT NULL REFERENCES approval.template (id),
    version      integer     NOT NULL,
    name         text        NOT NULL,
    category     text        NOT NULL,
    description  text,
    form         jsonb       NOT NULL,
    flow         jsonb       NOT NULL,
    settings     jsonb       NOT NULL,
    published_by uuid        NOT NULL,
    published_at timestamptz NOT NULL,
    PRIMARY KEY (template_id, version)
);

CREATE TABLE approval.instance (
    id               uuid PRIMARY KEY,
    template_id      uuid        NOT NULL,
    template_version integer     NOT NULL,
    title            text        NOT NULL,
    requester_id     uuid        NOT NULL,
    -- The requester, or the integration account that submitted on their behalf.
    submitted_by     uuid        NOT NULL,
    form             jsonb       NOT NULL,
    -- The steps this instance follows: the flow's approval and CC nodes on the branches its
    -- conditions chose at submit time, in order.
    route            jsonb       NOT NULL,
    -- Approvers the requester chose at submit time (自选审批人), by node id.
    chosen_approvers jsonb       NOT NULL,
    state            text        NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN')),
    current_step     integer,
    resubmitted_from uuid REFERENCES approval.instance (id),
    submitted_at     timestamptz NOT NULL,
    completed_at     timestamptz,
    last_reminded_at timestamptz,
    updated_at       timestamptz NOT NULL,
    version          bigint      NOT NULL,
    FOREIGN KEY (template_id, template_version) REFERENCES approval.template_version (template_id, version)
);
CREATE INDEX instance_by_requester ON approval.instance (requester_id, submitted_at DESC, id DESC);
CREATE INDEX instance_by_submitter ON approval.instance (submitted_by, submitted_at DESC, id DESC);
CREATE INDEX instance_by_time ON approval.instance (submitted_at DESC, id DESC);

CREATE TABLE approval.task (
    id           uuid PRIMARY KEY,
    instance_id  uuid        NOT NULL REFERENCES approval.instance (id),
    step         integer     NOT NULL,
    position     integer     NOT NULL,
    approver_id  uuid        NOT NULL,
    origin       text        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('WAITING', 'PENDING', 'APPROVED', 'REJECTED',
                                                       'TRANSFERRED', 'CANCELLED')),
    -- The task whose approver added this one with add-sign.
    added_by     uuid,
    created_at   timestamptz NOT NULL,
    activated_at timestamptz,
    decided_at   timestamptz,
    comment      text,
    remind_at    timestamptz,
    reminded_at  timestamptz,
    escalate_at  timestamptz
);
CREATE INDEX task_by_instance ON approval.task (instance_id);
CREATE INDEX task_by_approver ON approval.task (approver_id, created_at DESC, id DESC);
CREATE INDEX task_pending_by_approver ON approval.task (approver_id, created_at DESC, id DESC) WHERE state = 'PENDING';
CREATE INDEX task_reminder_due ON approval.task (remind_at) WHERE state = 'PENDING' AND reminded_at IS NULL;
CREATE INDEX task_escalation_due ON approval.task (escalate_at) WHERE state = 'PENDING';

-- People who may see an instance without being its requester or an approver: CC'd, mentioned.
CREATE TABLE approval.participant (
    instance_id uuid NOT NULL REFERENCES approval.instance (id),
    user_id     uuid NOT NULL,
    role        text NOT NULL CHECK (role IN ('CC', 'MENTIONED')),
    PRIMARY KEY (instance_id, user_id, role)
);
CREATE INDEX participant_by_user ON approval.participant (user_id, role);

CREATE TABLE approval.timeline_entry (
    id          uuid PRIMARY KEY,
    instance_id uuid        NOT NULL REFERENCES approval.instance (id),
    position    integer     NOT NULL,
    at          timestamptz NOT NULL,
    actor_id    uuid,
    action      text        NOT NULL,
    step        integer,
    task_id     uuid,
    target_id   uuid,
    comment     text,
    mentions    uuid[]      NOT NULL DEFAULT '{}',
    UNIQUE (instance_id, position)
);

-- Idempotency-Key of a submit: the same caller, key and body return the first instance.
CREATE TABLE approval.idempotency_key (
    caller_id    uuid        NOT NULL,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    instance_id  uuid        NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (caller_id, key)
);
CREATE INDEX idempotency_key_by_age ON approval.idempotency_key (created_at);

-- The card each participant sees in their chat with the Approvals bot, updated in place.
-- rendered_version is the instance version the card shows: an older rendering never overwrites a newer one.
CREATE TABLE approval.card (
    instance_id      uuid   NOT NULL REFERENCES approval.instance (id),
    user_id          uuid   NOT NULL,
    conversation_id  uuid   NOT NULL,
    message_id       bigint NOT NULL,
    rendered_version bigint NOT NULL,
    PRIMARY KEY (instance_id, user_id)
);
