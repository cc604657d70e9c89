package reauth_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// weatherClient stands for any API client whose sessions die and can only be
// renewed by logging in again.
type weatherClient struct {
	live string // the session the server accepts now
	n    int
}

func (w *weatherClient) login(_ context.Context, _ string) (string, error) {
	w.n++
	w.live = fmt.Sprintf("session-%d", w.n)
	return w.live, nil
}

func (w *weatherClient) forecast(session, city string) (string, error) {
	if session != w.live {
		return "", fmt.Errorf("forecast: %w", reauth.ErrUnauthorized)
	}
	return city + ": sunny", nil
}

// Wrapping another API: give the manager the client's login, then wrap each
// call; the call reads the current session from the manager.
func Example() {
	api := &weatherClient{live: "server-forgot-you"}
	m, err := reauth.NewManager(reauth.Config[string]{Login: api.login})
	if err != nil {
		panic(err)
	}
	m.Set("expired-session") // e.g. loaded from disk

	forecast := reauth.WithReauth(m, func(_ context.Context, city string) (string, error) {
		s, _, _ := m.Current()
		return api.forecast(s, city)
	})
	out, err := forecast(context.Background(), "Lisbon")
	fmt.Println(out, err, errors.Is(err, reauth.ErrUnauthorized))
	fmt.Println("logins:", m.Stats().Logins)
	// Output:
	// Lisbon: sunny <nil> false
	// logins: 1
}
