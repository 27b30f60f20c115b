// Command sqlstate generates package sqlstate's constants and lookup tables
// from PostgreSQL's errcodes.txt (a copy lives next to this file; refresh it
// from a PostgreSQL source tree or /usr/share/postgresql/N/errcodes.txt).
//
// It is run by go generate from the sqlstate directory:
//
//	//go:generate go run ../internal/gen/sqlstate -in ../internal/gen/sqlstate/errcodes.txt -out sqlstate_gen.go
//
// Naming rules, applied to errcodes.txt's condition (spec) names:
//   - Lines without a condition name are C macro aliases of a code already
//     listed (ERRCODE_UNDEFINED_DATABASE is 3D000, invalid_catalog_name); they
//     get no constant. If a code appears twice with a name, the first wins.
//   - A condition name used in several classes (string_data_right_truncation
//     is both 01004 and 22001) keeps the plain Go name only where its C macro
//     is the plain ERRCODE_<NAME>; the others are prefixed with their class
//     (WarningStringDataRightTruncation).
//   - Any remaining clash of Go names is an error, so a new errcodes.txt
//     can never silently drop or rename a constant.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"io"
	"log"
	"os"
	"regexp"
	"strings"
)

// class is one "Section: Class XX - Name" block of errcodes.txt.
type class struct {
	Code   string // two characters, e.g. "23"
	Name   string // as written, e.g. "Integrity Constraint Violation"
	GoName string // e.g. "IntegrityConstraintViolation"
}

// condition is one named SQLSTATE line of errcodes.txt.
type condition struct {
	Code   string // e.g. "23505"
	Kind   string // E (error), W (warning) or S (success)
	Macro  string // e.g. "ERRCODE_UNIQUE_VIOLATION"
	Name   string // e.g. "unique_violation"
	Class  *class
	GoName string
}

var sectionRE = regexp.MustCompile(`^Section: Class ([0-9A-Z]{2}) - (.+)$`)

func main() {
	in := flag.String("in", "../internal/gen/sqlstate/errcodes.txt", "errcodes.txt to read")
	out := flag.String("out", "sqlstate_gen.go", "Go file to write")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gen/sqlstate: ")

	f, err := os.Open(*in)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	classes, conds, err := parse(f)
	if err != nil {
		log.Fatalf("%s: %v", *in, err)
	}
	if err := nameConditions(conds); err != nil {
		log.Fatalf("%s: %v", *in, err)
	}
	src, err := generate(classes, conds)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// parse reads errcodes.txt; see the file's own header for the format.
func parse(r io.Reader) ([]*class, []*condition, error) {
	var (
		classes []*class
		conds   []*condition
		byCode  = map[string]*class{}
		seen    = map[string]bool{}
	)
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "Section:") {
			m := sectionRE.FindStringSubmatch(line)
			if m == nil {
				return nil, nil, fmt.Errorf("line %d: malformed section %q", n, line)
			}
			c := &class{Code: m[1], Name: m[2], GoName: camel(className(m[2]))}
			classes = append(classes, c)
			byCode[c.Code] = c
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 && len(fields) != 4 {
			return nil, nil, fmt.Errorf("line %d: want 3 or 4 fields, got %q", n, line)
		}
		code := fields[0]
		if len(fields) == 3 || seen[code] {
			// A C macro alias of a code named elsewhere; these sit outside
			// their class's section (ERRCODE_UNDEFINED_DATABASE under 42).
			continue
		}
		cl := byCode[code[:min(2, len(code))]]
		if len(code) != 5 || cl == nil {
			return nil, nil, fmt.Errorf("line %d: code %q has no class section", n, code)
		}
		seen[code] = true
		conds = append(conds, &condition{Code: code, Kind: fields[1], Macro: fields[2], Name: fields[3], Class: cl})
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if len(classes) == 0 || len(conds) == 0 {
		return nil, nil, fmt.Errorf("no classes or codes found")
	}
	return classes, conds, nil
}

// nameConditions assigns Go names, disambiguating condition names that
// errcodes.txt uses in more than one class.
func nameConditions(conds []*condition) error {
	count := map[string]int{}
	for _, c := range conds {
		count[c.Name]++
	}
	used := map[string]*condition{}
	for _, c := range conds {
		c.GoName = camel(c.Name)
		if count[c.Name] > 1 && c.Macro != "ERRCODE_"+strings.ToUpper(c.Name) {
			c.GoName = c.Class.GoName + c.GoName
		}
		if prev := used[c.GoName]; prev != nil {
			return fmt.Errorf("condition %s (%s) and %s (%s) both map to Go name %s", prev.Name, prev.Code, c.Name, c.Code, c.GoName)
		}
		used[c.GoName] = c
	}
	return nil
}

// className drops a trailing parenthetical remark and spells PL/pgSQL as one
// word, so "No Data (this is also a warning class ...)" names ClassNoData.
func className(name string) string {
	if i := strings.Index(name, " ("); i > 0 {
		name = name[:i]
	}
	return strings.ReplaceAll(name, "PL/pgSQL", "plpgsql")
}

// initialisms are the words spelled specially in Go names (Go's initialisms
// upper case; PostgreSQL's own spelling for PL/pgSQL).
var initialisms = map[string]string{
	"fdw":           "FDW",
	"id":            "ID",
	"io":            "IO",
	"json":          "JSON",
	"plpgsql":       "PLpgSQL",
	"sql":           "SQL",
	"sqlclient":     "SQLClient",
	"sqlconnection": "SQLConnection",
	"sqlserver":     "SQLServer",
	"sqlstate":      "SQLState",
	"srf":           "SRF",
	"xml":           "XML",
}

// camel turns "invalid_sql_statement_name" or "Invalid SQL Statement Name"
// into "InvalidSQLStatementName".
func camel(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	})
	var b strings.Builder
	for _, w := range words {
		if v, ok := initialisms[w]; ok {
			b.WriteString(v)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

var kinds = map[string]string{"E": "error", "W": "warning", "S": "success"}

func generate(classes []*class, conds []*condition) ([]byte, error) {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("// Code generated by internal/gen/sqlstate from PostgreSQL's errcodes.txt. DO NOT EDIT.\n\n")
	p("package sqlstate\n\n")

	p("// Classes: the first two characters of a code.\nconst (\n")
	for _, c := range classes {
		p("\t// Class%s is class %s, %s.\n", c.GoName, c.Code, c.Name)
		p("\tClass%s = %q\n", c.GoName, c.Code)
	}
	p(")\n")
	for _, cl := range classes {
		p("\n// Class %s - %s.\nconst (\n", cl.Code, cl.Name)
		for _, c := range conds {
			if c.Class == cl {
				p("\t// %s is SQLSTATE %s, %s %s.\n", c.GoName, c.Code, kinds[c.Kind], c.Name)
				p("\t%s = %q\n", c.GoName, c.Code)
			}
		}
		p(")\n")
	}

	p("\n// names maps each code to its condition name as errcodes.txt spells it.\n")
	p("var names = map[string]string{\n")
	for _, c := range conds {
		p("\t%s: %q,\n", c.GoName, c.Name)
	}
	p("}\n\n// classNames maps each class to its name as errcodes.txt spells it.\n")
	p("var classNames = map[string]string{\n")
	for _, c := range classes {
		p("\tClass%s: %q,\n", c.GoName, c.Name)
	}
	p("}\n")
	return format.Source(b.Bytes())
}
