package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wirepg/pg/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m, pgtest.Options{}) }

// The service over real HTTP and a real server: the answers, the 400s,
// and a graceful shutdown that closes the pool when ctx ends.
func TestWebService(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, pgtest.Shared().DSN(), ln) }()
	base := "http://" + ln.Addr().String()

	get := func(path string) (int, string) {
		t.Helper()
		var resp *http.Response
		deadline := time.Now().Add(30 * time.Second)
		for {
			// The pool opens its connections before Serve starts; the
			// listener already accepts, so the first request just waits.
			resp, err = http.Get(base + path)
			if err == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}

	code, body := get("/10")
	t.Logf("GET /10: %d %s", code, body)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "2 ^ 10 is 1024\n", body)
	code, body = get("/")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "2 ^ 10 is 1024\n", body)
	code, body = get("/-2")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "2 ^ -2 is 0.25\n", body)
	code, _ = get("/ten")
	assert.Equal(t, http.StatusBadRequest, code, "not an integer")
	code, body = get("/5000")
	assert.Equal(t, http.StatusBadRequest, code, "out of float8's range: %s", body)
	code, _ = get("/99999999999999999999")
	assert.Equal(t, http.StatusBadRequest, code, "not an int")

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err, "graceful shutdown and pool close")
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not return after its context ended")
	}
	_, err = http.Get(base + "/10")
	assert.Error(t, err, "the listener is closed")
}
