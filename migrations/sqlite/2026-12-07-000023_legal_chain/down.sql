DROP TABLE objections;
DROP TABLE sanction_orders;
DROP TABLE sanctions;
DROP TABLE recommendation_evidence;
DROP TABLE recommendation_cases;
DROP TABLE recommendations;
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql, '''PLATFORM'', ''ADMIN'', ''REGULATOR'')', '''PLATFORM'', ''ADMIN'')')
WHERE type = 'table' AND name = 'accounts';
PRAGMA writable_schema = OFF;
ALTER TABLE categories DROP COLUMN urgent_track;
DROP INDEX takedown_requests_kind_issued;
ALTER TABLE takedown_requests DROP COLUMN withdrawn_at;
ALTER TABLE takedown_requests DROP COLUMN paused_at;
ALTER TABLE takedown_requests DROP COLUMN order_article;
ALTER TABLE takedown_requests DROP COLUMN order_date;
ALTER TABLE takedown_requests DROP COLUMN order_number;
ALTER TABLE takedown_requests DROP COLUMN kind;
