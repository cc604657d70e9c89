package main

import (
	"log/slog"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
)

// TestNewAppLeavesConfig checks that newApp builds what it needs from the
// configuration without changing it: not the demo account's settings, not
// the authenticator's shared record of codes.
func TestNewAppLeavesConfig(t *testing.T) {
	tests := []struct {
		name string
		demo bool
	}{
		{"real account", false},
		{"demo", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Load(t.Context(), config.Source{
				Environ: []string{
					"MONARCH_EMAIL=a@b.c", "MONARCH_PASSWORD=pw", "MONARCH_MFA_SECRET=JBSWY3DPEHPK3PXP",
					"MONARCH_API_URL=http://127.0.0.1:1", "MONARCH_SESSION_FILE=" + filepath.Join(t.TempDir(), "s.json"),
				},
				EnvFileSet: true,
			})
			if err != nil {
				t.Fatal(err)
			}
			before := *cfg
			a, err := newApp(t.Context(), cfg, nil, tt.demo, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if !reflect.DeepEqual(*cfg, before) {
				t.Errorf("newApp changed the configuration:\n got %+v\nwant %+v", *cfg, before)
			}
			if cfg.TOTP.Ledger != nil {
				t.Error("newApp set a ledger on the configuration's authenticator")
			}
		})
	}
}
