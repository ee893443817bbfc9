-- Decision texts are sealed: decisions.rationale and decisions.answers, and
-- reviews.terms_of_reference and reviews.key_lines_of_enquiry, are written
-- as sealed values (platform/sealed.rs). Rows written before stay readable in clear
-- until the daily job seals them (api-worker handlers::sealing), so no
-- downtime is needed. The route a decision set no longer falls back to its
-- answers: the few older threshold decisions without route facts get them
-- here, from the outcome they recorded, while the answers are still in clear.
UPDATE decisions
SET route = CASE
    WHEN json_valid(answers) AND json_extract(answers, '$.outcome') = 'died' THEN '{"child_died":true}'
    WHEN json_valid(answers) AND json_extract(answers, '$.outcome') IS NOT NULL THEN '{"child_died":false}'
    ELSE '{}'
END
WHERE route IS NULL;

