// Package keychaintest provides fake keychains for tests, so no test
// touches the real one or go-keyring's process-wide mock.
package keychaintest

import (
	"sync"

	"github.com/monarch-mcp/monarch-mcp/internal/keychain"
)

// Memory is a keychain held in memory. The zero value is empty and ready.
type Memory struct {
	mu      sync.Mutex
	entries map[[2]string]string
}

// Get returns the entry or keychain.ErrNotFound.
func (m *Memory) Get(service, user string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.entries[[2]string{service, user}]
	if !ok {
		return "", keychain.ErrNotFound
	}
	return v, nil
}

// Set stores the entry.
func (m *Memory) Set(service, user, secret string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.entries = map[[2]string]string{}
	}
	m.entries[[2]string{service, user}] = secret
	return nil
}

// Delete removes the entry or returns keychain.ErrNotFound.
func (m *Memory) Delete(service, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := [2]string{service, user}
	if _, ok := m.entries[k]; !ok {
		return keychain.ErrNotFound
	}
	delete(m.entries, k)
	return nil
}

// Len is the number of entries.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

// Failing is a keychain whose every call returns Err, as an absent or
// broken one does.
type Failing struct{ Err error }

// Get returns f.Err.
func (f Failing) Get(string, string) (string, error) { return "", f.Err }

// Set returns f.Err.
func (f Failing) Set(string, string, string) error { return f.Err }

// Delete returns f.Err.
func (f Failing) Delete(string, string) error { return f.Err }

// Blocking is a keychain whose every call waits until Release is closed,
// as a locked one waiting for a password prompt does. Close Release when
// the test ends so the abandoned calls finish.
type Blocking struct{ Release chan struct{} }

// Get waits for Release, then reports nothing found.
func (b Blocking) Get(string, string) (string, error) {
	<-b.Release
	return "", keychain.ErrNotFound
}

// Set waits for Release.
func (b Blocking) Set(string, string, string) error { <-b.Release; return nil }

// Delete waits for Release.
func (b Blocking) Delete(string, string) error { <-b.Release; return nil }
