package stdlib

import (
	"strconv"
	"strings"
	"sync"

	"github.com/wirepg/pg"
)

// registeredPrefix starts every name RegisterConnConfig hands out; no
// DSN pg.ParseConfig reads can start with it.
const registeredPrefix = "registeredConnConfig"

var registry struct {
	sync.Mutex
	next    int
	configs map[string]*pg.Config
}

// RegisterConnConfig keeps a copy of cfg and returns a name for it that
// sql.Open("pg", name) takes in place of a DSN, for tools that open their
// own database from a driver name and a DSN (goose, golang-migrate). The
// Config keeps what a DSN cannot carry: TLSConfig, DialFunc, PasswordFunc
// and the rest. UnregisterConnConfig forgets it.
func RegisterConnConfig(cfg *pg.Config) string {
	registry.Lock()
	defer registry.Unlock()
	if registry.configs == nil {
		registry.configs = make(map[string]*pg.Config)
	}
	name := registeredPrefix + strconv.Itoa(registry.next)
	registry.next++
	registry.configs[name] = cfg.Copy()
	return name
}

// UnregisterConnConfig forgets a name RegisterConnConfig returned. A DB
// already opened with it keeps working.
func UnregisterConnConfig(name string) {
	registry.Lock()
	defer registry.Unlock()
	delete(registry.configs, name)
}

func registeredConfig(dsn string) *pg.Config {
	if !strings.HasPrefix(dsn, registeredPrefix) {
		return nil
	}
	registry.Lock()
	defer registry.Unlock()
	return registry.configs[dsn]
}
