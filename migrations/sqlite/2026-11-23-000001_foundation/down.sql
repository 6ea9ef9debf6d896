DROP TABLE write_gate;
DROP TRIGGER events_no_delete;
DROP TRIGGER events_no_update;
DROP TABLE events;
DROP TABLE accounts;
DROP TABLE categories;
DROP TABLE platform_hosts;
DROP TABLE platforms;
