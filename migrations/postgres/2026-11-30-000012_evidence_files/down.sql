DROP TABLE complaint_files;
DROP TABLE evidence_blobs;
