-- Why a case was rejected, for its reporters: a reason from a fixed list and the reviewer's
-- message to them (`rejectCase(reasonCode:, messageToReporter:)`), shown by tracking code and in
-- `myComplaints`. The reviewer's own reason stays in the audit trail only. NULL until rejected;
-- cases rejected before this change read as OTHER without a message.
ALTER TABLE cases ADD COLUMN rejection_reason TEXT CHECK (rejection_reason IN ('NOT_ILLEGAL',
    'INSUFFICIENT_EVIDENCE', 'DUPLICATE', 'OUTSIDE_REMIT', 'LISTING_UNAVAILABLE', 'OTHER'));
ALTER TABLE cases ADD COLUMN rejection_message TEXT;
