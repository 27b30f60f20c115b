// Command gengolden captures the golden values of package codec's
// server-free tests: for every SQL expression of testdata/golden/cases.sql
// it asks a PostgreSQL server for the value's type (pg_typeof), its binary
// form (the type's send function, typsend: exactly what the server puts on
// the wire in the binary format) and its text form (the type's output
// function, typoutput), and writes them to testdata/golden/values.json.
//
// The driver takes no part: a throwaway server is started with pgtest and
// queried with psql, so the golden bytes are the server's alone. Run it
// from the codec directory after changing cases.sql:
//
//	go generate ./codec    (or: cd codec && go run ./internal/gengolden)
//
// PG_BIN picks the server's binaries as for pgtest; the values were
// captured from PostgreSQL 15 (values.json records the version).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"

	"github.com/wirepg/pg/pgtest"
)

// Case is one value of values.json. Binary is the hex of the send
// function's output and Text the output function's, both nil for NULL;
// Binary is also nil when the type has no binary form (aclitem). Session
// lists the SET lines in effect that differ from the file's Settings.
type Case struct {
	SQL     string   `json:"sql"`
	Type    string   `json:"type"` // pg_type.typname of pg_typeof(SQL)
	Session []string `json:"session,omitempty"`
	Binary  *string  `json:"binary"`
	Text    *string  `json:"text"`
}

// File is values.json.
type File struct {
	Comment  string   `json:"comment"`
	Server   string   `json:"server"`
	Settings []string `json:"settings"`
	Cases    []Case   `json:"cases"`
}

// goldenFunc returns one row for an expression: its type, the hex of its
// send function's output (NULL when the type or an element type has none)
// and its output function's text. The expression is never cast, so each
// case's type is the one its SQL spells out.
const goldenFunc = `
-- The argument of f(v), cast to f's argument type where that is neither
-- v's own type nor a pseudo-type: refcursor's functions are text's.
CREATE FUNCTION pg_temp.arg(f regproc, t oid) RETURNS text
LANGUAGE sql AS $f$
	SELECT CASE WHEN a.oid = t OR a.typtype = 'p' THEN 'v' ELSE 'v::' || a.oid::regtype::text END
	FROM pg_proc p JOIN pg_type a ON a.oid = p.proargtypes[0]
	WHERE p.oid = f
$f$;

CREATE FUNCTION pg_temp.golden(expr text) RETURNS TABLE(type text, send text, output text)
LANGUAGE plpgsql AS $f$
DECLARE
	t oid;
	s regproc;
	o regproc;
BEGIN
	EXECUTE format('SELECT pg_typeof(%s)::oid', expr) INTO t;
	SELECT typname, typsend, typoutput INTO type, s, o FROM pg_type WHERE oid = t;
	EXECUTE format('SELECT %s(%s)::text FROM (SELECT %s AS v) x', o, pg_temp.arg(o, t), expr) INTO output;
	IF s::oid <> 0 THEN
		BEGIN
			EXECUTE format('SELECT encode(%s(%s), ''hex'') FROM (SELECT %s AS v) x', s, pg_temp.arg(s, t), expr) INTO send;
		EXCEPTION WHEN feature_not_supported OR undefined_function THEN
			send := NULL; -- an array of a type without binary output (aclitem[])
		END;
	END IF;
	RETURN NEXT;
END
$f$;
`

func main() {
	in := flag.String("in", "testdata/golden/cases.sql", "cases to read")
	out := flag.String("out", "testdata/golden/values.json", "golden file to write")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gengolden: ")

	src, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var script strings.Builder
	script.WriteString(goldenFunc)
	var exprs, settings []string
	var sessions [][]string
	base := map[string]string{} // parameter -> the header's SET line
	cur := map[string]string{}  // parameter -> the SET line in effect
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "--"):
			continue
		case strings.HasPrefix(line, "SET "):
			param := strings.ToLower(strings.Fields(line)[1])
			if len(exprs) == 0 {
				settings = append(settings, line)
				base[param] = line
			}
			cur[param] = line
			script.WriteString(line + ";\n")
			continue
		}
		exprs = append(exprs, line)
		var session []string
		for param, set := range cur {
			if base[param] != set {
				session = append(session, set)
			}
		}
		sort.Strings(session)
		sessions = append(sessions, session)
		tag := "$golden$"
		if strings.Contains(line, tag) {
			log.Fatalf("expression holds %s: %s", tag, line)
		}
		fmt.Fprintf(&script, "SELECT row_to_json(g) FROM pg_temp.golden(%s%s%s) g;\n", tag, line, tag)
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}

	srv, err := pgtest.Start(pgtest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	version, err := srv.SQL("SELECT version()")
	if err == nil {
		var res string
		res, err = srv.SQL(script.String())
		if err == nil {
			err = write(*out, version, settings, exprs, sessions, res)
		}
	}
	if serr := srv.Stop(); err == nil {
		err = serr
	}
	if err != nil {
		log.Fatal(err)
	}
}

func write(path, version string, settings, exprs []string, sessions [][]string, res string) error {
	lines := strings.Split(res, "\n")
	if len(lines) != len(exprs) {
		return fmt.Errorf("%d results for %d expressions", len(lines), len(exprs))
	}
	f := File{
		Comment:  "Generated by codec/internal/gengolden from cases.sql. DO NOT EDIT.",
		Server:   version,
		Settings: settings,
	}
	for i, line := range lines {
		var row struct {
			Type         string
			Send, Output *string
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			return fmt.Errorf("%s: %w in %q", exprs[i], err, line)
		}
		f.Cases = append(f.Cases, Case{SQL: exprs[i], Type: row.Type, Session: sessions[i], Binary: row.Send, Text: row.Output})
	}
	// One case per line: diffs of a regeneration stay readable.
	var b bytes.Buffer
	head, _ := marshal(struct {
		Comment  string   `json:"comment"`
		Server   string   `json:"server"`
		Settings []string `json:"settings"`
	}{f.Comment, f.Server, f.Settings})
	b.Write(head[:len(head)-1])
	b.WriteString(`,"cases":[` + "\n")
	for i, c := range f.Cases {
		enc, err := marshal(c)
		if err != nil {
			return err
		}
		b.Write(enc)
		if i < len(f.Cases)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// marshal is json.Marshal without the escaping of <, > and &, which would
// make the xml and jsonpath cases hard to read.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
