-- The compliance archive (MessageArchive) reads messages by conversation or by sender within a
-- time range, and replays each conversation's membership history in order.

-- "Everything this person wrote between these dates", across all their conversations.
CREATE INDEX message_by_sender_time ON chat.message (sender_id, created_at);

-- "Everything said in these conversations between these dates" without reading a long
-- conversation's whole history through the seq index.
CREATE INDEX message_by_conversation_time ON chat.message (conversation_id, created_at);

-- A conversation's membership history in the order it happened, read once per conversation.
CREATE INDEX membership_change_in_order ON chat.membership_change (conversation_id, at_seq, id);
