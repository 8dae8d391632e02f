-- Inbound mail that reached a board without becoming a customer post (issue 14): an
-- out-of-office answer, a carrier's bounce, or a mail the product could not make sense of. The
-- last kind keeps its raw MIME in blob storage (raw_key) so a member can download it: nothing a
-- customer sent is ever dropped.
ALTER TABLE inbound_emails ADD COLUMN raw_key TEXT;
