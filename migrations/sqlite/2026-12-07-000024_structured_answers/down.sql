DROP TABLE takedown_answers;
