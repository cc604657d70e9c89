package keychain_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/monarch-mcp/monarch-mcp/internal/keychain"
	"github.com/monarch-mcp/monarch-mcp/internal/keychain/keychaintest"
)

func TestSaveLoadForget(t *testing.T) {
	ring := &keychaintest.Memory{}
	s := keychain.Store{Ring: ring}
	want := keychain.Credentials{Email: "a@example.com", Password: "pw", MFASecret: "JBSWY3DPEHPK3PXP"}
	if err := s.Save(t.Context(), want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(t.Context(), "")
	if err != nil || got != want {
		t.Fatalf("Load() = %+v, %v; want %+v", got, err, want)
	}
	if got, err := s.Load(t.Context(), "other@example.com"); err != nil || got.Password != "" {
		t.Errorf("Load(other) = %+v, %v; want the email alone", got, err)
	}
	removed, err := s.Forget(t.Context(), "")
	if err != nil || !removed || ring.Len() != 0 {
		t.Fatalf("Forget() = %v, %v; %d entries left", removed, err, ring.Len())
	}
	if _, err := s.Load(t.Context(), ""); !errors.Is(err, keychain.ErrNotFound) {
		t.Errorf("Load() after Forget = %v, want ErrNotFound", err)
	}
	if removed, err := s.Forget(t.Context(), ""); err != nil || removed {
		t.Errorf("second Forget() = %v, %v; want nothing removed, no error", removed, err)
	}
}

func TestLoadBadEntryHidesValue(t *testing.T) {
	ring := &keychaintest.Memory{}
	_ = ring.Set(keychain.Service, keychain.DefaultUser, "a@example.com")
	_ = ring.Set(keychain.Service, "a@example.com", "hunter2-not-json")
	_, err := keychain.Store{Ring: ring}.Load(t.Context(), "")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("Load() error = %v; want an error without the value", err)
	}
}

func TestErrorPassesThrough(t *testing.T) {
	boom := errors.New("no secret service")
	_, err := keychain.Store{Ring: keychaintest.Failing{Err: boom}}.Load(t.Context(), "")
	if !errors.Is(err, boom) {
		t.Fatalf("Load() error = %v, want it to wrap %v", err, boom)
	}
	if err := (keychain.Store{Ring: keychaintest.Failing{Err: boom}}).Probe(t.Context()); !errors.Is(err, boom) {
		t.Fatalf("Probe() error = %v, want it to wrap %v", err, boom)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := keychain.Store{Ring: keychaintest.Blocking{Release: release}, Timeout: 10 * time.Millisecond}
	done := make(chan error, 1)
	go func() {
		_, err := s.Load(context.Background(), "")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, keychain.ErrTimeout) {
			t.Fatalf("Load() error = %v, want ErrTimeout", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Load() did not give up on a keychain that never answers")
	}
}

func TestContextCancel(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	s := keychain.Store{Ring: keychaintest.Blocking{Release: release}, Timeout: time.Hour}
	if err := s.Probe(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Probe() error = %v, want context.Canceled", err)
	}
}

// TestSystemWithMock runs the go-keyring wrapper against go-keyring's mock,
// which is process-wide: this is the only test that uses it.
func TestSystemWithMock(t *testing.T) {
	keyring.MockInit()
	s := keychain.Store{Ring: keychain.System()}
	if err := s.Probe(t.Context()); err != nil {
		t.Fatalf("Probe() = %v", err)
	}
	if _, err := s.Load(t.Context(), ""); !errors.Is(err, keychain.ErrNotFound) {
		t.Fatalf("Load() on an empty mock = %v, want ErrNotFound", err)
	}
	c := keychain.Credentials{Email: "a@example.com", Password: "pw"}
	if err := s.Save(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Load(t.Context(), ""); err != nil || got != c {
		t.Fatalf("Load() = %+v, %v; want %+v", got, err, c)
	}
	if removed, err := s.Forget(t.Context(), ""); err != nil || !removed {
		t.Fatalf("Forget() = %v, %v", removed, err)
	}
}
