package setup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
	"github.com/monarch-mcp/monarch-mcp/internal/keychain"
)

// Where the credentials are stored (Options.Store).
const (
	StoreKeychain = "keychain"
	StoreEnv      = "env"
)

// keychainStore returns the keychain the wizard uses, nil when it has none.
func (w *wizard) keychainStore() *keychain.Store {
	if w.opts.Keyring == nil {
		return nil
	}
	return &keychain.Store{Ring: w.opts.Keyring, Timeout: w.opts.KeychainTimeout}
}

// chooseStore decides where the password setup stores the credentials:
// the keychain when asked for or when it is usable, else the .env file.
// --store keychain with an unusable keychain is an error; by default an
// unusable keychain is one line of notice.
func (w *wizard) chooseStore(ctx context.Context) error {
	switch w.opts.Store {
	case StoreEnv:
		w.store = StoreEnv
		return nil
	case "", StoreKeychain:
	default:
		return &usageError{fmt.Sprintf("--store must be %s or %s (got %q)", StoreKeychain, StoreEnv, w.opts.Store)}
	}
	kc := w.keychainStore()
	err := errors.New("this program was built without one")
	if kc != nil {
		err = kc.Probe(ctx)
	}
	if err == nil {
		w.store = StoreKeychain
		return nil
	}
	if w.opts.Store == StoreKeychain {
		return &usageError{fmt.Sprintf("--store keychain: the OS keychain is not usable (%v); use --store env to keep the credentials in %s (mode 0600)", err, w.envPath)}
	}
	w.store = StoreEnv
	fmt.Fprintf(w.out, "No usable OS keychain (%v); the credentials will go to %s (mode 0600).\n", err, w.envPath)
	return nil
}

// credentialVars are the variables the password setup stores.
var credentialVars = []string{config.EnvEmail, config.EnvPassword, config.EnvMFASecret}

// saveKeychain stores the credentials in the keychain and removes any
// copies from the .env file, which would otherwise keep the password in
// plain text (and be shadowed by the keychain anyway). It returns a
// sentence saying what went where.
func (w *wizard) saveKeychain(ctx context.Context, email, password, secret string) (string, error) {
	c := keychain.Credentials{Email: email, Password: password, MFASecret: secret}
	if err := w.keychainStore().Save(ctx, c); err != nil {
		return "", fmt.Errorf("Could not store the credentials in the OS keychain: %w. Run login-setup --store env to use %s instead.", err, w.envPath)
	}
	names := config.EnvEmail + ", " + config.EnvPassword
	if secret != "" {
		names += ", " + config.EnvMFASecret
	}
	msg := fmt.Sprintf("Saved %s in the OS keychain (service %q, account %s)", names, keychain.Service, email)
	removed, err := w.removeFromEnv(credentialVars)
	if err != nil {
		return "", err
	}
	if len(removed) > 0 {
		msg += fmt.Sprintf("; removed %s from %s", strings.Join(removed, ", "), w.envPath)
	}
	return msg, nil
}

// removeFromEnv deletes the named variables (and their NAME_FILE forms)
// from the .env file, if it exists, and returns the names it held.
func (w *wizard) removeFromEnv(names []string) ([]string, error) {
	if w.rawEnv == nil {
		return nil, nil
	}
	var present, remove []string
	for _, n := range names {
		for _, k := range []string{n, n + "_FILE"} {
			if _, ok := w.fileEnv[k]; ok {
				present = append(present, k)
				remove = append(remove, k)
			}
		}
	}
	if len(present) == 0 {
		return nil, nil
	}
	if err := w.saveEnv(map[string]string{}, nil, remove...); err != nil {
		return nil, err
	}
	return present, nil
}

// forget removes the stored credentials: the keychain entries, the
// credential lines login-setup writes to the .env file, and the session
// file.
func (w *wizard) forget(ctx context.Context) error {
	var done []string
	if kc := w.keychainStore(); kc != nil {
		removed, err := kc.Forget(ctx, w.cfg.Email)
		switch {
		case err != nil:
			fmt.Fprintf(w.out, "The OS keychain could not be cleared (%v).\n", err)
		case removed:
			done = append(done, fmt.Sprintf("the OS keychain entries (service %q)", keychain.Service))
		}
	}
	removed, err := w.removeFromEnv(append(credentialVars, config.EnvToken, config.EnvCookies))
	if err != nil {
		return err
	}
	if len(removed) > 0 {
		done = append(done, strings.Join(removed, ", ")+" from "+w.envPath)
	}
	switch err := os.Remove(w.cfg.SessionFile); {
	case err == nil:
		done = append(done, "the session file "+w.cfg.SessionFile)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("Could not remove the session file: %w", err)
	}
	if len(done) == 0 {
		fmt.Fprintln(w.out, "Nothing to forget: no stored credentials or session were found.")
		return nil
	}
	fmt.Fprintf(w.out, "Removed %s.\n", strings.Join(done, "; "))
	return nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
