ALTER TABLE takedown_requests DROP COLUMN disputed_at;
ALTER TABLE takedown_requests DROP COLUMN confirmed_at;
ALTER TABLE takedown_requests DROP COLUMN still_online_asked_at;
