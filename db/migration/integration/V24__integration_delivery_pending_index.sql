-- The waiting deliveries of each subscription, in due order. Switching a subscription off
-- cancels its waiting rows, and the claim looks for one subscription's oldest due row and for
-- its rows in flight: through delivery_due (ordered by time across all subscriptions) or
-- delivery_log (all of a subscription's history) those read far more rows than they want once an
-- endpoint has been down for a while and its backlog is large. Claims leave this index alone
-- (they change neither its columns nor status), so its cost is one entry per waiting row.
CREATE INDEX delivery_pending ON integration.delivery (subscription_id, next_attempt_at) WHERE status = 'PENDING';
