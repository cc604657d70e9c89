package monarch_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/monarch"
)

func TestParseCookieHeader(t *testing.T) {
	const sid, csrf = "SID-secret-value-123", "CSRF-secret-value-456"
	tests := []struct {
		name    string
		header  string
		wantErr string // substring; "" = success
	}{
		{"browser header", "_ga=GA1.1.1; csrftoken=" + csrf + "; session_id=" + sid + "; ajs=x", ""},
		{"with Cookie: prefix", "Cookie: session_id=" + sid + ";csrftoken=" + csrf, ""},
		{"quoted values", `session_id="` + sid + `"; csrftoken="` + csrf + `"`, ""},
		{"missing session_id", "csrftoken=" + csrf + "; other=1", "missing session_id"},
		{"missing csrftoken", "session_id=" + sid, "missing csrftoken"},
		{"missing both", "a=b", "missing session_id and csrftoken"},
		{"empty", "  ", "empty"},
		{"not pairs", "session_id " + sid, "name=value"},
		{"set-cookie line", "session_id=" + sid + "; Path=/; Secure, csrftoken", "name=value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := monarch.ParseCookieHeader(tt.header)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, monarch.ErrBadCookieHeader) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), sid) || strings.Contains(err.Error(), csrf) {
					t.Errorf("error echoes a cookie value: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Style != monarch.StyleCookie || s.Source != monarch.SourceBrowser || s.DeviceID == "" || s.Token != "" {
				t.Errorf("session %s", s)
			}
			if s.CSRF() != csrf {
				t.Errorf("CSRF() = %q", s.CSRF())
			}
		})
	}
}

func TestSessionJSONRoundTrip(t *testing.T) {
	in := &monarch.Session{Style: monarch.StyleCookie, Token: "", Cookies: []monarch.Cookie{{"session_id", "a"}, {"csrftoken", "b"}},
		DeviceID: "d", Expiry: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Source: monarch.SourceLogin}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out monarch.Session
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Style != in.Style || out.DeviceID != in.DeviceID || !out.Expiry.Equal(in.Expiry) || out.Source != in.Source ||
		len(out.Cookies) != 2 || out.Cookies[1] != in.Cookies[1] {
		t.Errorf("round trip: %s → %s", b, &out)
	}
	// Long-lived sessions omit expiry.
	b, _ = json.Marshal(monarch.TokenSession("tok"))
	if strings.Contains(string(b), "expiry") {
		t.Errorf("zero expiry serialised: %s", b)
	}
}

func TestSessionPrintingHidesSecrets(t *testing.T) {
	s := &monarch.Session{Style: monarch.StyleToken, Token: "TOKEN-SECRET", Cookies: []monarch.Cookie{{"session_id", "COOKIE-SECRET"}}, Source: monarch.SourceLogin}
	var logs strings.Builder
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "session", s, "value", *s)
	outs := []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %v %+v", s, s, s, s, *s, *s), fmt.Sprint(s.Cookies), logs.String()}
	for _, o := range outs {
		if strings.Contains(o, "TOKEN-SECRET") || strings.Contains(o, "COOKIE-SECRET") {
			t.Errorf("secret printed: %s", o)
		}
	}
}

func TestTokenSession(t *testing.T) {
	s := monarch.TokenSession("  tok \n")
	if s.Token != "tok" || s.Style != monarch.StyleToken || s.Source != monarch.SourceToken || s.DeviceID == "" {
		t.Errorf("%+v", *s) // String hides secrets either way
	}
}
