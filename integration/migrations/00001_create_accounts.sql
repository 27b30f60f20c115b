-- +goose Up
CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL, balance numeric(12, 2) NOT NULL DEFAULT 0);

-- +goose Down
DROP TABLE accounts;
