DELETE FROM categories;
DELETE FROM platform_hosts;
DELETE FROM platforms;
