DROP TABLE watchlist_entries;
