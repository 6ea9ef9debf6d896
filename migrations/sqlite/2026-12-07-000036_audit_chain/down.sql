DROP TABLE audit_heads;
DROP TABLE audit_chain_head;
DROP TABLE audit_chain;
