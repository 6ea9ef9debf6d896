DROP INDEX takedown_requests_overdue_due;
DROP INDEX takedown_requests_reminder_due;
DROP INDEX takedown_requests_updated;
DROP INDEX takedown_requests_platform_updated;
ALTER TABLE takedown_requests DROP COLUMN overdue_sent_at;
ALTER TABLE takedown_requests DROP COLUMN reminder_sent_at;
ALTER TABLE takedown_requests DROP COLUMN remind_at;
ALTER TABLE takedown_requests DROP COLUMN updated_at;
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_messages;
DROP TABLE webhook_endpoints;
-- SQLite cannot drop a column that takes part in a foreign key: events keeps
-- actor_api_client_id (NULL everywhere once the clients are gone).
UPDATE events SET actor_api_client_id = NULL WHERE 0;
DROP TABLE api_client_secrets;
DROP TABLE api_clients;
