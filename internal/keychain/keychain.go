// Package keychain keeps monarch-mcp's sign-in credentials in the
// operating system's keychain (macOS Keychain, Windows Credential Manager,
// the Secret Service on Linux desktops).
//
// Everything lives under the service name [Service]. The entry for the user
// [DefaultUser] holds the account's email, which is not secret, so the
// server knows which account to sign in as; the entry named by that email
// holds the password and the authenticator secret together as a small JSON
// value.
//
// A keychain can be locked, absent or slow to answer (a desktop prompt, a
// Secret Service that is starting), and start-up must never wait on it:
// every call is bounded by a timeout and, past it, abandoned.
package keychain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keychain service name every entry is stored under.
const Service = "monarch-mcp"

// DefaultUser is the entry whose value is the account's email.
const DefaultUser = "default"

// DefaultTimeout bounds each keychain call when [Store.Timeout] is zero.
const DefaultTimeout = 3 * time.Second

// ErrNotFound reports that the keychain has no such entry.
var ErrNotFound = errors.New("not in the keychain")

// ErrTimeout reports that the keychain did not answer in time (it may be
// locked and waiting for a password prompt no one sees).
var ErrTimeout = errors.New("the keychain did not answer in time")

// Keyring is a keychain's basic operations; [System] is the operating
// system's, and tests use fakes.
type Keyring interface {
	// Get returns the secret stored for service and user, or an error
	// wrapping [ErrNotFound] when there is none.
	Get(service, user string) (string, error)
	// Set stores secret for service and user, replacing any earlier one.
	Set(service, user, secret string) error
	// Delete removes the entry, or returns an error wrapping [ErrNotFound].
	Delete(service, user string) error
}

// System returns the operating system's keychain.
func System() Keyring { return systemKeyring{} }

type systemKeyring struct{}

func (systemKeyring) Get(service, user string) (string, error) {
	s, err := keyring.Get(service, user)
	return s, mapErr(err)
}

func (systemKeyring) Set(service, user, secret string) error {
	return mapErr(keyring.Set(service, user, secret))
}

func (systemKeyring) Delete(service, user string) error {
	return mapErr(keyring.Delete(service, user))
}

func mapErr(err error) error {
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNotFound
	}
	return err
}

// Credentials are what the keychain holds for one account.
type Credentials struct {
	Email     string
	Password  string
	MFASecret string
}

// secretValue is the JSON stored in the per-account entry.
type secretValue struct {
	Password  string `json:"password,omitempty"`
	MFASecret string `json:"mfa_secret,omitempty"`
}

// Store reads and writes monarch-mcp's entries with every call bounded.
type Store struct {
	Ring Keyring
	// Timeout bounds each call; zero means DefaultTimeout.
	Timeout time.Duration
}

// call runs f in a goroutine and gives up when the timeout passes or ctx
// ends. An abandoned call keeps its goroutine until the keychain answers;
// that is the price of never blocking the caller on a call that cannot be
// cancelled.
func (s Store) call(ctx context.Context, f func() (string, error)) (string, error) {
	d := s.Timeout
	if d <= 0 {
		d = DefaultTimeout
	}
	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1) // buffered: a late answer must not block the goroutine forever
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-t.C:
		return "", fmt.Errorf("%w (waited %v)", ErrTimeout, d)
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (s Store) get(ctx context.Context, user string) (string, error) {
	return s.call(ctx, func() (string, error) { return s.Ring.Get(Service, user) })
}

func (s Store) set(ctx context.Context, user, secret string) error {
	_, err := s.call(ctx, func() (string, error) { return "", s.Ring.Set(Service, user, secret) })
	return err
}

func (s Store) del(ctx context.Context, user string) error {
	_, err := s.call(ctx, func() (string, error) { return "", s.Ring.Delete(Service, user) })
	return err
}

// Load returns the stored credentials. email names the account when the
// caller already knows it; "" means the account recorded under
// [DefaultUser]. Nothing stored is an error wrapping [ErrNotFound]; errors
// never hold a secret.
func (s Store) Load(ctx context.Context, email string) (Credentials, error) {
	if email == "" {
		e, err := s.get(ctx, DefaultUser)
		if err != nil {
			return Credentials{}, fmt.Errorf("reading the account's email: %w", err)
		}
		email = strings.TrimSpace(e)
		if email == "" {
			return Credentials{}, fmt.Errorf("reading the account's email: %w", ErrNotFound)
		}
	}
	c := Credentials{Email: email}
	raw, err := s.get(ctx, email)
	if errors.Is(err, ErrNotFound) {
		// The email alone is still worth knowing: the password may be in .env.
		return c, nil
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("reading the account's secrets: %w", err)
	}
	var v secretValue
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		// json's message may quote the value; say only what is wrong.
		return Credentials{}, errors.New("the account's keychain entry is not the JSON login-setup writes; run login-setup again")
	}
	c.Password, c.MFASecret = v.Password, v.MFASecret
	return c, nil
}

// Save stores c: the email under [DefaultUser] and the secrets under the
// email.
func (s Store) Save(ctx context.Context, c Credentials) error {
	if c.Email == "" {
		return errors.New("an email is needed to store credentials")
	}
	b, err := json.Marshal(secretValue{Password: c.Password, MFASecret: c.MFASecret})
	if err != nil {
		return fmt.Errorf("encoding the secrets: %w", err)
	}
	if err := s.set(ctx, c.Email, string(b)); err != nil {
		return fmt.Errorf("storing the account's secrets: %w", err)
	}
	if err := s.set(ctx, DefaultUser, c.Email); err != nil {
		return fmt.Errorf("storing the account's email: %w", err)
	}
	return nil
}

// Forget removes the entries for the recorded account (and for email, if
// given and different). It reports whether anything was removed; entries
// that are already gone are not an error.
func (s Store) Forget(ctx context.Context, email string) (bool, error) {
	users := []string{}
	if e, err := s.get(ctx, DefaultUser); err == nil && strings.TrimSpace(e) != "" {
		users = append(users, strings.TrimSpace(e))
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return false, fmt.Errorf("reading the account's email: %w", err)
	}
	if email != "" && (len(users) == 0 || users[0] != email) {
		users = append(users, email)
	}
	users = append(users, DefaultUser)
	removed := false
	for _, u := range users {
		err := s.del(ctx, u)
		switch {
		case err == nil:
			removed = true
		case errors.Is(err, ErrNotFound):
		default:
			return removed, fmt.Errorf("removing a keychain entry: %w", err)
		}
	}
	return removed, nil
}

// probeUser is the entry Probe writes and removes.
const probeUser = "monarch-mcp-probe"

// Probe reports whether the keychain can store, read back and remove an
// entry, nil if so.
func (s Store) Probe(ctx context.Context) error {
	const want = "probe"
	if err := s.set(ctx, probeUser, want); err != nil {
		return err
	}
	got, err := s.get(ctx, probeUser)
	if err != nil {
		return err
	}
	if err := s.del(ctx, probeUser); err != nil {
		return err
	}
	if got != want {
		return errors.New("the keychain returned something other than what was stored")
	}
	return nil
}
