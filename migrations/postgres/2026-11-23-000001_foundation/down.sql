DROP TRIGGER events_append_only ON events;
DROP FUNCTION events_append_only();
DROP TABLE events;
DROP TABLE accounts;
DROP TABLE categories;
DROP TABLE platform_hosts;
DROP TABLE platforms;
