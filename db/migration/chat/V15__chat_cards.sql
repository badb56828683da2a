-- Cards: a message kind whose content is structured, render-safe data (a title, fields and
-- actions) posted by other modules (approvals) and replaced in place by its poster. The body
-- keeps a plain-text summary of the card, so search, exports, audit and clients that know no
-- cards still read it as text.
ALTER TABLE chat.message
    ADD COLUMN kind text NOT NULL DEFAULT 'TEXT' CONSTRAINT message_kind_check CHECK (kind IN ('TEXT', 'CARD')),
    ADD COLUMN card jsonb,
    -- A text message has no card; a card message has one until retention purges its content.
    ADD CONSTRAINT message_card_matches_kind CHECK (
        (kind = 'TEXT' AND card IS NULL)
        OR (kind = 'CARD' AND (card IS NOT NULL OR purged_at IS NOT NULL)));

-- The card a replaced version showed, beside its summary in body: compliance keeps every version.
ALTER TABLE chat.message_revision ADD COLUMN card jsonb;
