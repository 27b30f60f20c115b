CREATE TYPE mood AS ENUM ('sad', 'ok');

CREATE TABLE authors (
	id bigserial PRIMARY KEY,
	name text NOT NULL,
	bio text,
	tags text[] NOT NULL DEFAULT '{}',
	scores int4[],
	mood mood NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
