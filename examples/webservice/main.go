// Command webservice is asyncpg's classic example in Go: an HTTP service
// whose handlers share a connection pool. GET /{power} answers
// "2 ^ N is M", with M computed by PostgreSQL (SELECT 2 ^ $1) inside a
// transaction; GET / is power 10. A power that is not an integer, or
// whose result PostgreSQL cannot hold, is the client's error (400).
// SIGINT or SIGTERM stops it gracefully: in-flight requests finish, then
// the pool closes.
//
// It connects to DATABASE_URL when set; otherwise it starts a throwaway
// server with pgtest (PostgreSQL's binaries must be installed) and
// removes it at the end. -addr sets the listen address (:8080).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	flag.Parse()
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		srv, err := pgtest.Start(pgtest.Options{})
		if err != nil {
			log.Fatalf("no DATABASE_URL and no throwaway server: %v", err)
		}
		defer srv.Stop()
		dsn = srv.DSN()
		log.Println("started a throwaway server at", dsn)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Println("listening on", ln.Addr())
	if err := serve(ctx, dsn, ln); err != nil {
		log.Fatal(err)
	}
}

// serve answers on ln until ctx ends, then shuts the server down (waiting
// up to 10 s for requests in flight) and closes the pool.
func serve(ctx context.Context, dsn string, ln net.Listener) error {
	pc := pg.DefaultPoolConfig()
	pc.MinSize, pc.MaxSize = 2, 10
	pool, err := pg.CreatePool(ctx, dsn, pc)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newHandler(pool), ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err = <-served:
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = srv.Shutdown(shutdownCtx)
		if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
			err = serveErr
		}
	}
	closeCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(err, pool.Close(closeCtx))
}

// newHandler routes GET / and GET /{power} to the pool.
func newHandler(pool *pg.Pool) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		answer(w, r, pool, "10")
	})
	mux.HandleFunc("GET /{power}", func(w http.ResponseWriter, r *http.Request) {
		answer(w, r, pool, r.PathValue("power"))
	})
	return mux
}

func answer(w http.ResponseWriter, r *http.Request, pool *pg.Pool, power string) {
	n, err := strconv.Atoi(power)
	if err != nil {
		http.Error(w, fmt.Sprintf("%q is not an integer power", power), http.StatusBadRequest)
		return
	}
	var result float64
	err = pg.WithTx(r.Context(), pool, pg.TxOptions{ReadOnly: true}, func(tx *pg.Tx) error {
		return tx.QueryRow(r.Context(), "SELECT 2 ^ $1", n).Scan(&result)
	})
	var pgErr *pg.PgError
	switch {
	case errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "22"):
		// Class 22, data exception: 2 ^ 5000 overflows float8.
		http.Error(w, pgErr.Message, http.StatusBadRequest)
		return
	case err != nil:
		log.Printf("GET %s: %v", r.URL.Path, err)
		http.Error(w, "database error", http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "2 ^ %d is %s\n", n, strconv.FormatFloat(result, 'g', -1, 64))
}
