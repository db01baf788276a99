-- A backstop under the parsers (app/src/domain/text.rs): whatever path a
-- future change takes, these columns cannot store control characters.
-- Single-line text refuses every one; reasons and comments keep tab and
-- line breaks. NOT VALID: rows already stored are left as they are, every
-- new write is checked.

ALTER TABLE train ADD CONSTRAINT train_name_one_line
    CHECK (name !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE train ADD CONSTRAINT train_tag_one_line
    CHECK (tag !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE train ADD CONSTRAINT train_on_call_one_line
    CHECK (on_call !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE train ADD CONSTRAINT train_target_version_one_line
    CHECK (target_version !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE train ADD CONSTRAINT train_captain_one_line
    CHECK (captain !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE train ADD CONSTRAINT train_release_id_one_line
    CHECK (release_id !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE train ADD CONSTRAINT train_release_branch_one_line
    CHECK (release_branch !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE train ADD CONSTRAINT train_status_category_one_line
    CHECK (status_category !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE participant ADD CONSTRAINT participant_target_version_one_line
    CHECK (target_version !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE participant ADD CONSTRAINT participant_previous_version_one_line
    CHECK (previous_version !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE service ADD CONSTRAINT service_name_one_line
    CHECK (name !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE service ADD CONSTRAINT service_deployed_version_one_line
    CHECK (deployed_version !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE service ADD CONSTRAINT service_status_one_line
    CHECK (status !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE service ADD CONSTRAINT service_health_status_one_line
    CHECK (health_status !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE track ADD CONSTRAINT track_name_one_line
    CHECK (name !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE environment ADD CONSTRAINT environment_name_one_line
    CHECK (name !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE gate_definition ADD CONSTRAINT gate_definition_name_one_line
    CHECK (name !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE gate_result ADD CONSTRAINT gate_result_key_one_line
    CHECK (key !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE gate_result ADD CONSTRAINT gate_result_source_one_line
    CHECK (source !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE gate_result ADD CONSTRAINT gate_result_url_one_line
    CHECK (url !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE approval ADD CONSTRAINT approval_approver_one_line
    CHECK (approver !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE approval ADD CONSTRAINT approval_approver_name_one_line
    CHECK (approver_name !~ '[\x01-\x1f\x7f]') NOT VALID;
ALTER TABLE train ADD CONSTRAINT train_status_reason_printable
    CHECK (status_reason !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]') NOT VALID;
ALTER TABLE rollback ADD CONSTRAINT rollback_reason_printable
    CHECK (reason !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]') NOT VALID;
ALTER TABLE approval ADD CONSTRAINT approval_comment_printable
    CHECK (comment !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]') NOT VALID;
ALTER TABLE promotion_request ADD CONSTRAINT promotion_request_note_printable
    CHECK (note !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]') NOT VALID;
ALTER TABLE promotion_request ADD CONSTRAINT promotion_request_decision_comment_printable
    CHECK (decision_comment !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]') NOT VALID;
ALTER TABLE promotion_request ADD CONSTRAINT promotion_request_break_glass_reason_printable
    CHECK (break_glass_reason !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]') NOT VALID;
