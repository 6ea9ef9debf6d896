DROP TABLE audit_heads;
DROP TABLE audit_chain_head;
DROP TABLE audit_chain;
DROP FUNCTION audit_chain_append_only();
