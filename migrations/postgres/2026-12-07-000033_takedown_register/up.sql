-- The public register of takedown requests lists them newest first, for every platform or one.
CREATE INDEX takedown_requests_register ON takedown_requests (issued_at, id);
CREATE INDEX takedown_requests_platform_register ON takedown_requests (platform_id, issued_at, id);
-- A register entry's later re-listings.
CREATE INDEX takedown_requests_relisting_of ON takedown_requests (relisting_of_id) WHERE relisting_of_id IS NOT NULL;
