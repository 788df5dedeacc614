-- Every insert, update or delete of a row that gateways cache (sessions, users, their API keys and
-- session tokens) is announced on channel `wagw_row_changes` as `<table>:<id>`, delivered when the
-- transaction commits. Gateways LISTEN and drop what they cached for that row.
CREATE OR REPLACE FUNCTION wagw_notify_row_change() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('wagw_row_changes', TG_TABLE_NAME || ':' || COALESCE(NEW.id, OLD.id));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sessions_notify_change AFTER INSERT OR UPDATE OR DELETE ON "sessions"
  FOR EACH ROW EXECUTE FUNCTION wagw_notify_row_change();
CREATE TRIGGER users_notify_change AFTER INSERT OR UPDATE OR DELETE ON "users"
  FOR EACH ROW EXECUTE FUNCTION wagw_notify_row_change();
CREATE TRIGGER user_api_keys_notify_change AFTER INSERT OR UPDATE OR DELETE ON "user_api_keys"
  FOR EACH ROW EXECUTE FUNCTION wagw_notify_row_change();
CREATE TRIGGER session_tokens_notify_change AFTER INSERT OR UPDATE OR DELETE ON "session_tokens"
  FOR EACH ROW EXECUTE FUNCTION wagw_notify_row_change();
