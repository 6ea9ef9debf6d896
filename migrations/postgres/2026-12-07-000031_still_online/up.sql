-- "Is it still online?" (issue 31): some days (LAPORLAPAK_STILL_ONLINE_DAYS, 7 by default) after a
-- platform answered a takedown request with a removal or an account action, the reporters who
-- opted in to mails are asked (`still_online_asked_at`, set once). A reporter who answers that
-- the listing is gone confirms the removal (`confirmed_at`); one who finds it still online
-- disputes it (`disputed_at`), and the case goes back to the review queue. The scorecard counts
-- both per platform.
ALTER TABLE takedown_requests ADD COLUMN still_online_asked_at TIMESTAMP;
ALTER TABLE takedown_requests ADD COLUMN confirmed_at TIMESTAMP;
ALTER TABLE takedown_requests ADD COLUMN disputed_at TIMESTAMP;
