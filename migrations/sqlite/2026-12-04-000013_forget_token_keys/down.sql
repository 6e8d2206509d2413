-- Nothing to restore: the forgotten copies were never needed to open a draft.
SELECT 1;
