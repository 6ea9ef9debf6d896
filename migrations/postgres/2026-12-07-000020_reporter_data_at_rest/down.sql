-- The hashes cannot be turned back into codes, nor sealed names into clear ones (without the data
-- key): the columns return with what they hold. Removed identifiers do not come back.
ALTER TABLE idempotency_keys DROP COLUMN tracking_code;
DROP TABLE index_keys;
ALTER TABLE complaints RENAME COLUMN tracking_code_hash TO tracking_code;
