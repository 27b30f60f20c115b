package pgtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// errNoBinaries is returned when no PostgreSQL server installation is found.
var errNoBinaries = errors.New("PostgreSQL server binaries not found: install postgresql-15 or set PG_BIN")

// serverBinaries must all exist in a bin dir for it to be usable.
var serverBinaries = []string{"postgres", "initdb", "psql"}

// findBinDir returns the directory holding the server binaries; see
// Options.BinDir for the search order. An explicit dir (argument or PG_BIN)
// that lacks them is an error rather than a reason to keep looking, so a
// typo does not silently test against another version.
func findBinDir(dir string) (string, error) {
	src := "Options.BinDir"
	if dir == "" {
		dir, src = os.Getenv("PG_BIN"), "PG_BIN"
	}
	if dir != "" {
		if err := hasBinaries(dir); err != nil {
			return "", fmt.Errorf("%s=%s: %w", src, dir, err)
		}
		return dir, nil
	}
	for _, d := range candidateDirs() {
		if hasBinaries(d) == nil {
			return d, nil
		}
	}
	return "", errNoBinaries
}

func candidateDirs() []string {
	var dirs []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	dirs = append(dirs, debianDirs("/usr/lib/postgresql")...)
	if p, err := exec.LookPath("postgres"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	return dirs
}

// debianDirs lists root/<version>/bin, newest version first ("16" before
// "9.6", which string order would get wrong).
func debianDirs(root string) []string {
	matches, _ := filepath.Glob(filepath.Join(root, "*", "bin"))
	version := func(p string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(p)), 64)
		return v
	}
	sort.Slice(matches, func(i, j int) bool { return version(matches[i]) > version(matches[j]) })
	return matches
}

func hasBinaries(dir string) error {
	for _, name := range serverBinaries {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("no %s: %w", name, errNoBinaries)
		}
		if fi.IsDir() || fi.Mode()&0o111 == 0 {
			return fmt.Errorf("%s is not executable: %w", name, errNoBinaries)
		}
	}
	return nil
}
