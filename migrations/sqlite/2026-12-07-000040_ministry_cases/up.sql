-- Cases the ministry opens itself (`openMinistryCase`): a reviewer files the ministry's own finding
-- as a complaint with source MINISTRY and no reporter; the case it opens has source MINISTRY too.
-- Every complaint and case before this was filed by the public (PUBLIC). The transparency report
-- counts the ministry's findings apart from the public's complaints.
ALTER TABLE complaints ADD COLUMN source TEXT NOT NULL DEFAULT 'PUBLIC' CHECK (source IN ('PUBLIC', 'MINISTRY'));
ALTER TABLE cases ADD COLUMN source TEXT NOT NULL DEFAULT 'PUBLIC' CHECK (source IN ('PUBLIC', 'MINISTRY'));
CREATE INDEX complaints_ministry ON complaints (created_at) WHERE source = 'MINISTRY';
