-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION account_count() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	RETURN (SELECT count(*) FROM accounts);
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION account_count();
