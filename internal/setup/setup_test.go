package setup

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/joho/godotenv"

	"github.com/monarch-mcp/monarch-mcp/internal/config"
	"github.com/monarch-mcp/monarch-mcp/internal/testenv"
	"github.com/monarch-mcp/monarch-mcp/monarch"
	"github.com/monarch-mcp/monarch-mcp/monarch/sandbox"
	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// script is a Terminal that answers prompts from a list; when the list runs
// out it reports io.EOF, as Ctrl-D or Ctrl-C would.
type script struct {
	answers     []string
	interactive bool
	secretReads int
}

func (s *script) next() (string, error) {
	if len(s.answers) == 0 {
		return "", io.EOF
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	return a, nil
}

func (s *script) ReadLine() (string, error) { return s.next() }
func (s *script) ReadSecret() (string, error) {
	s.secretReads++
	return s.next()
}
func (s *script) Interactive() bool { return s.interactive }

// fixture is a sandbox, a clock shared with it, and a directory for .env
// and the session file.
type fixture struct {
	sb      *sandbox.Sandbox
	clock   *testenv.Clock
	dir     string
	envPath string
	session string
	environ []string
}

func newFixture(t *testing.T, opts sandbox.Options) *fixture {
	t.Helper()
	clk := testenv.NewClock(time.Date(2026, 11, 25, 12, 0, 5, 0, time.UTC))
	opts.Now = clk.Now
	sb, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	dir := t.TempDir()
	f := &fixture{sb: sb, clock: clk, dir: dir, envPath: filepath.Join(dir, ".env"), session: filepath.Join(dir, "session.json")}
	f.environ = []string{config.EnvAPIURL + "=" + sb.URL(), config.EnvSessionFile + "=" + f.session}
	return f
}

// run runs the wizard with opts (EnvFile, Environ, clock filled in) and
// returns the exit code and everything it printed.
func (f *fixture) run(t *testing.T, opts Options, term Terminal) (int, string) {
	t.Helper()
	if opts.EnvFile == "" {
		opts.EnvFile = f.envPath
	}
	opts.Environ = append(append([]string{}, f.environ...), opts.Environ...)
	opts.Now, opts.Sleep = f.clock.Now, f.clock.Sleep
	opts.Executable = "/opt/monarch/monarch-mcp"
	var out bytes.Buffer
	code := Run(context.Background(), opts, term, &out)
	return code, out.String()
}

func (f *fixture) writeEnv(t *testing.T, content string) {
	t.Helper()
	if err := os.WriteFile(f.envPath, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) readEnv(t *testing.T) map[string]string {
	t.Helper()
	m, err := godotenv.Read(f.envPath)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// spaced is the demo key as a user might paste it: lowercase, in groups.
func spaced(key string) string {
	var b strings.Builder
	for i, r := range strings.ToLower(key) {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mustNotLeak fails if out holds the password, the key in any form, or a
// code the key produced around now.
func mustNotLeak(t *testing.T, out string, clk *testenv.Clock, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("output contains a secret (%d chars)", len(s))
		}
	}
	totp, err := reauth.NewTOTP(sandbox.DemoMFASecret)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second, 60 * time.Second} {
		totp.Now = func() time.Time { return clk.Now().Add(d) }
		code, _, _ := totp.Peek()
		// The current code is shown on purpose, grouped as "123 456";
		// only the ungrouped form is what a leak would look like.
		if strings.Contains(out, code) {
			t.Errorf("output contains the code %s sent to Monarch", code)
		}
	}
}

func demoSecrets() []string {
	return []string{sandbox.DemoPassword, sandbox.DemoMFASecret, strings.ToLower(sandbox.DemoMFASecret), spaced(sandbox.DemoMFASecret)}
}

func TestHappyPathWritesEnvAndSession(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	f.writeEnv(t, "# my settings\nMONARCH_LOG_LEVEL=debug\nMONARCH_EMAIL=old@example.com\nMONARCH_PASSWORD_FILE=/run/secrets/pw\nexport OTHER='keep me'\n")
	term := &script{interactive: true, answers: []string{
		sandbox.DemoEmail,
		sandbox.DemoPassword,
		spaced(sandbox.DemoMFASecret),
		"", // Press Enter to sign in
	}}
	code, out := f.run(t, Options{}, term)
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if term.secretReads != 2 {
		t.Errorf("password and key read without echo %d times, want 2", term.secretReads)
	}
	mustNotLeak(t, out, f.clock, demoSecrets()...)
	for _, want := range []string{"[old@example.com]", "Key accepted.", "Current code: ", "Signed in.", "claude_desktop_config.json",
		`"/opt/monarch/monarch-mcp"`, "docker run -i --rm --env-file " + f.envPath + " " + Image} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}

	st, err := os.Stat(f.envPath)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf(".env mode %v, want 0600", st.Mode().Perm())
	}
	env := f.readEnv(t)
	want := map[string]string{
		"MONARCH_LOG_LEVEL": "debug",
		"OTHER":             "keep me",
		config.EnvEmail:     sandbox.DemoEmail,
		config.EnvPassword:  sandbox.DemoPassword,
		config.EnvMFASecret: sandbox.DemoMFASecret,
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	if _, ok := env["MONARCH_PASSWORD_FILE"]; ok {
		t.Error("MONARCH_PASSWORD_FILE kept beside MONARCH_PASSWORD")
	}
	raw, _ := os.ReadFile(f.envPath)
	if !strings.HasPrefix(string(raw), "# my settings\n") {
		t.Errorf("comment not kept:\n%s", raw)
	}

	// The configuration as monarch-mcp loads it starts from the saved
	// session: no new sign-in.
	cfg, err := config.Load(t.Context(), config.Source{Environ: f.environ, EnvFile: f.envPath, EnvFileSet: true})
	if err != nil {
		t.Fatal(err)
	}
	logins := f.sb.Logins()
	c, err := monarch.New(monarch.Config{BaseURL: cfg.APIURL, Email: cfg.Email, Password: cfg.Password, TOTP: cfg.TOTP,
		Store: reauth.NewFileStore[*monarch.Session](cfg.SessionFile), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := c.Auth().LoadStored(context.Background()); !ok || err != nil {
		t.Fatalf("stored session: ok=%v err=%v", ok, err)
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatalf("ping with the saved session: %v", err)
	}
	if f.sb.Logins() != logins {
		t.Errorf("the server signed in again (%d logins, want %d)", f.sb.Logins(), logins)
	}
	if st, err := os.Stat(f.session); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("session file: %v, mode %v", err, st.Mode().Perm())
	}
}

func TestRecognisesCodesAndRecoveryCodes(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	term := &script{interactive: true, answers: []string{
		sandbox.DemoEmail, sandbox.DemoPassword,
		"123 456",   // the 6-digit code
		"ab12-cd34", // a recovery code
		"otpauth://totp/Monarch:demo?secret=" + sandbox.DemoMFASecret + "&issuer=Monarch",
		"",
	}}
	code, out := f.run(t, Options{}, term)
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{"one-time code", "recovery (backup) code"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ab12") || strings.Contains(out, "123 456") {
		t.Error("refused input echoed back")
	}
	// A URI with default parameters is stored as the bare key.
	if got := f.readEnv(t)[config.EnvMFASecret]; got != sandbox.DemoMFASecret {
		t.Errorf("stored key %q", got)
	}
}

func TestWrongPasswordThenRight(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	term := &script{interactive: true, answers: []string{
		sandbox.DemoEmail, "not-the-password", sandbox.DemoMFASecret, "",
		sandbox.DemoPassword, // asked again after the rejection
	}}
	code, out := f.run(t, Options{}, term)
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(out, "rejected the email or password") {
		t.Errorf("no wrong-password message:\n%s", out)
	}
	mustNotLeak(t, out, f.clock, append(demoSecrets(), "not-the-password")...)
}

func TestLoginFailures(t *testing.T) {
	otherKey := "KRSXG5DSNFXGOIDBEBZWKY3SMV2A" // valid, but not the account's
	tests := []struct {
		name    string
		outcome sandbox.LoginOutcome
		key     string
		want    []string
	}{
		{"wrong code", sandbox.LoginOK, otherKey, []string{"rejected the authenticator code", "clock", "2026-11-25 12:00:05 UTC"}},
		{"mfa required", sandbox.LoginOK, "", []string{"asks this account for an authenticator code"}},
		{"email code", sandbox.LoginEmailCode, sandbox.DemoMFASecret, []string{"by email", "authenticator app is not on"}},
		{"rate limited", sandbox.LoginRateLimited, sandbox.DemoMFASecret, []string{"limiting sign-in attempts", "wait 1s"}},
		{"captcha", sandbox.LoginCaptcha, sandbox.DemoMFASecret, []string{"CAPTCHA", "browser session instead?"}},
		{"server error", sandbox.LoginServerError, sandbox.DemoMFASecret, []string{"Nothing was saved"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, sandbox.Options{})
			const before = "KEEP=1\n"
			f.writeEnv(t, before)
			f.sb.SetLoginOutcome(tt.outcome)
			// After the failure the wizard may ask again; the script then
			// ends (n for the browser offer, EOF otherwise).
			term := &script{interactive: true, answers: []string{sandbox.DemoEmail, sandbox.DemoPassword, tt.key, ""}}
			if tt.outcome == sandbox.LoginCaptcha {
				term.answers = append(term.answers, "n")
			}
			code, out := f.run(t, Options{}, term)
			if code != ExitFailure {
				t.Errorf("exit %d, want %d", code, ExitFailure)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if raw, _ := os.ReadFile(f.envPath); string(raw) != before {
				t.Errorf(".env changed:\n%s", raw)
			}
			if _, err := os.Stat(f.session); err == nil {
				t.Error("a session was saved after a failed sign-in")
			}
			mustNotLeak(t, out, f.clock, append(demoSecrets(), otherKey)...)
		})
	}
}

func TestNetworkFailure(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	term := &script{interactive: true, answers: []string{sandbox.DemoEmail, sandbox.DemoPassword, sandbox.DemoMFASecret, ""}}
	code, out := f.run(t, Options{Environ: []string{config.EnvAPIURL + "=" + dead}}, term)
	if code != ExitFailure || !strings.Contains(out, "Could not reach Monarch at "+dead) {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if _, err := os.Stat(f.envPath); err == nil {
		t.Error(".env written after a network failure")
	}
}

// Input ending at any prompt (Ctrl-D, or Ctrl-C in the real terminal)
// leaves .env exactly as it was.
func TestStopAtEveryPromptChangesNothing(t *testing.T) {
	full := []string{sandbox.DemoEmail, sandbox.DemoPassword, sandbox.DemoMFASecret, ""}
	const before = "# mine\nMONARCH_EMAIL=old@example.com\n"
	for n := range len(full) {
		f := newFixture(t, sandbox.Options{})
		f.writeEnv(t, before)
		code, out := f.run(t, Options{}, &script{interactive: true, answers: full[:n]})
		if code != ExitFailure || !strings.Contains(out, "was not changed") {
			t.Errorf("stopped after %d answers: exit %d:\n%s", n, code, out)
		}
		if raw, _ := os.ReadFile(f.envPath); string(raw) != before {
			t.Errorf("stopped after %d answers: .env changed", n)
		}
		if f.sb.LoginAttempts() != 0 {
			t.Errorf("stopped after %d answers: signed in anyway", n)
		}
	}
}

func TestNonInteractive(t *testing.T) {
	secretEnv := config.EnvMFASecret + "=" + sandbox.DemoMFASecret
	tests := []struct {
		name    string
		opts    Options
		environ []string
		code    int
		want    string
	}{
		{"no email", Options{}, nil, ExitBadUsage, "pass --email"},
		{"no password", Options{Email: sandbox.DemoEmail}, nil, ExitBadUsage, "--password-stdin"},
		{"empty password stdin", Options{Email: sandbox.DemoEmail, PasswordStdin: true, Stdin: strings.NewReader("")}, nil, ExitBadUsage, "held no password"},
		{"bad key", Options{Email: sandbox.DemoEmail, PasswordStdin: true, Stdin: strings.NewReader(sandbox.DemoPassword + "\n")},
			[]string{config.EnvMFASecret + "=123456"}, ExitBadUsage, "not a 6-digit code"},
		{"browser", Options{Browser: true}, nil, ExitBadUsage, "needs a terminal"},
		{"ok", Options{Email: sandbox.DemoEmail, PasswordStdin: true, Stdin: strings.NewReader(sandbox.DemoPassword + "\n")},
			[]string{secretEnv}, ExitOK, "Signed in."},
		{"ok from env", Options{}, []string{config.EnvEmail + "=" + sandbox.DemoEmail, config.EnvPassword + "=" + sandbox.DemoPassword, secretEnv}, ExitOK, "Signed in."},
		{"bad password", Options{Email: sandbox.DemoEmail, PasswordStdin: true, Stdin: strings.NewReader("wrong\n")},
			[]string{secretEnv}, ExitFailure, "rejected the email or password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, sandbox.Options{})
			tt.opts.Environ = tt.environ
			term := &script{} // never asked: any read fails the run
			code, out := f.run(t, tt.opts, term)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d (want %d), output:\n%s", code, tt.code, out)
			}
			if term.secretReads != 0 {
				t.Error("asked without a terminal")
			}
			mustNotLeak(t, out, f.clock, demoSecrets()...)
			if tt.code != ExitOK {
				if _, err := os.Stat(f.envPath); err == nil {
					t.Error(".env written")
				}
			}
		})
	}
}

func TestBrowserPath(t *testing.T) {
	f := newFixture(t, sandbox.Options{Style: sandbox.StyleCookie})
	f.writeEnv(t, "MONARCH_TOKEN=old\nKEEP=1\n")
	header := f.sb.BrowserCookieHeader()
	term := &script{interactive: true, answers: []string{
		"session_id=abc",                // no csrftoken
		"session_id=abc; csrftoken=def", // well formed, but not a live session
		"Cookie: " + header,
	}}
	code, out := f.run(t, Options{Browser: true}, term)
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{"csrftoken", "did not accept this session", "Monarch accepted the session.", "cannot renew itself"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	mustNotLeak(t, out, f.clock, header, "abc", "def")
	env := f.readEnv(t)
	if env[config.EnvCookies] != header || env["KEEP"] != "1" {
		t.Errorf(".env: %v", keys(env))
	}
	if _, ok := env[config.EnvToken]; ok {
		t.Error("MONARCH_TOKEN kept beside the new cookies")
	}
	if _, err := os.Stat(f.session); err != nil {
		t.Errorf("session not saved: %v", err)
	}
}

func TestNoPasswordOffersBrowser(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	term := &script{interactive: true, answers: []string{sandbox.DemoEmail, "", "y"}}
	code, out := f.run(t, Options{}, term)
	if code != ExitFailure || !strings.Contains(out, "Google or Apple") || !strings.Contains(out, "Cookie header") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestCaptchaOffersBrowser(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	f.sb.SetLoginOutcome(sandbox.LoginCaptcha)
	header := f.sb.BrowserCookieHeader()
	term := &script{interactive: true, answers: []string{sandbox.DemoEmail, sandbox.DemoPassword, sandbox.DemoMFASecret, "", "y", header}}
	code, out := f.run(t, Options{}, term)
	if code != ExitOK || f.readEnv(t)[config.EnvCookies] != header {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestCheck(t *testing.T) {
	good := "MONARCH_EMAIL=" + sandbox.DemoEmail + "\nMONARCH_PASSWORD=" + sandbox.DemoPassword + "\nMONARCH_MFA_SECRET=" + sandbox.DemoMFASecret + "\n"
	tests := []struct {
		name    string
		env     string
		outcome sandbox.LoginOutcome
		code    int
		want    string
	}{
		{"ok", good, sandbox.LoginOK, ExitOK, "OK: signed in as " + sandbox.DemoEmail},
		{"bad password", strings.Replace(good, sandbox.DemoPassword, "nope", 1), sandbox.LoginOK, ExitFailure, "rejected the email or password"},
		{"email code", good, sandbox.LoginEmailCode, ExitFailure, "by email"},
		{"nothing", "KEEP=1\n", sandbox.LoginOK, ExitFailure, "no credentials are configured"},
		{"bad key", "MONARCH_MFA_SECRET=123\n", sandbox.LoginOK, ExitFailure, "configuration has a problem"},
		{"cookies", "", sandbox.LoginOK, ExitOK, "cannot renew itself"},
		{"dead cookies", "MONARCH_COOKIES=session_id=a; csrftoken=b\n", sandbox.LoginOK, ExitFailure, "did not accept"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, sandbox.Options{})
			env := tt.env
			if tt.name == "cookies" {
				env = "MONARCH_COOKIES='" + f.sb.BrowserCookieHeader() + "'\n"
			}
			f.writeEnv(t, env)
			f.sb.SetLoginOutcome(tt.outcome)
			code, out := f.run(t, Options{Check: true}, &script{})
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d (want %d):\n%s", code, tt.code, out)
			}
			if raw, _ := os.ReadFile(f.envPath); string(raw) != env {
				t.Error("--check changed .env")
			}
			mustNotLeak(t, out, f.clock, demoSecrets()...)
		})
	}
}

func TestQR(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	term := &script{interactive: true, answers: []string{sandbox.DemoEmail, sandbox.DemoPassword, sandbox.DemoMFASecret, ""}}
	code, out := f.run(t, Options{QR: true}, term)
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	var rows, width int
	for _, line := range strings.Split(out, "\n") {
		// The quiet zone makes every line of the code start with light
		// (block) columns.
		if strings.HasPrefix(line, "██") && strings.HasSuffix(line, "██") {
			rows++
			width = len([]rune(line))
		}
	}
	// Version 4–6 for this URI, plus the quiet zone: about 37–45 columns
	// and half as many rows; small enough for an 80x24 terminal's width.
	if rows < 15 || width < 30 || width > 80 || rows > (width+1)/2 {
		t.Errorf("QR code %d rows × %d columns:\n%s", rows, width, out)
	}
}

func TestParseSecret(t *testing.T) {
	tests := []struct {
		in, stored, kind string
	}{
		{sandbox.DemoMFASecret, sandbox.DemoMFASecret, ""},
		{spaced(sandbox.DemoMFASecret), sandbox.DemoMFASecret, ""},
		{"jbsw-y3dp-ehpk-3pxp", "JBSWY3DPEHPK3PXP", ""},
		{"otpauth://totp/M:a?secret=JBSWY3DPEHPK3PXP&issuer=M", "JBSWY3DPEHPK3PXP", ""},
		{"otpauth://totp/M:a?secret=JBSWY3DPEHPK3PXP&period=60", "otpauth://totp/M:a?secret=JBSWY3DPEHPK3PXP&period=60", ""},
		{"123456", "", "code"},
		{"1234 5678", "", "code"},
		{"a1b2-c3d4", "", "recovery"},
		{"JBSWY3DPEHPK3PX0", "", "invalid"},
		{"", "", "invalid"},
		{"otpauth://hotp/M:a?secret=JBSWY3DPEHPK3PXP", "", "invalid"},
	}
	for _, tt := range tests {
		stored, totp, err := ParseSecret(tt.in)
		if tt.kind == "" {
			if err != nil || stored != tt.stored || totp == nil {
				t.Errorf("ParseSecret(%q) = %q, %v", tt.in, stored, err)
			}
			continue
		}
		se, ok := err.(*SecretInputError)
		if !ok || se.Kind != tt.kind {
			t.Errorf("ParseSecret(%q): error %v, want kind %s", tt.in, err, tt.kind)
			continue
		}
		if tt.in != "" && strings.Contains(se.Error(), tt.in) {
			t.Errorf("ParseSecret(%q): the error repeats the input", tt.in)
		}
	}
	_, _, err := ParseSecret("JBSWY3DPEHPK3PX8")
	if err == nil || !strings.Contains(err.Error(), "an 8 the letter B") {
		t.Errorf("no digit hint: %v", err)
	}
}

func TestQuoteEnvReadsBack(t *testing.T) {
	for _, v := range []string{"plain", "with space", "a#b", "#lead", "$HOME", "it's", `say "hi"`, `back\slash`, "tab\tin", "new\nline", "mix'\"$\\", " pad ", "=eq", ""} {
		line := quoteEnv(v)
		if !readsBack(line, v) {
			t.Errorf("quoteEnv(%q) = %s does not read back", v, line)
		}
		if DockerSafe(v) != (line == v) {
			t.Errorf("DockerSafe(%q) disagrees with %s", v, line)
		}
	}
	if !DockerSafe("Tr0ub4dor&3") {
		t.Error("an ordinary password is not docker-safe")
	}
}

func TestUpdateEnv(t *testing.T) {
	raw := "# c\nA=1\nexport B=2\nC=3\nA=dup\nno newline at end=x"
	got := string(updateEnv([]byte(raw), map[string]string{"A": "new", "D": "4 4"}, []string{"A", "D"}, []string{"C"}))
	want := "# c\nA=new\nexport B=2\nno newline at end=x\nD=4 4\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestClientSnippets(t *testing.T) {
	s := ClientSnippets("/opt/my tools/monarch-mcp", "/home/me/.env")
	for _, want := range []string{`"command": "/opt/my tools/monarch-mcp"`, `"--env-file"`, `"/home/me/.env"`} {
		if !strings.Contains(s.DesktopBinary, want) {
			t.Errorf("DesktopBinary lacks %s:\n%s", want, s.DesktopBinary)
		}
	}
	if s.DockerRun != "docker run -i --rm --env-file /home/me/.env "+Image {
		t.Errorf("DockerRun %q", s.DockerRun)
	}
	var vs struct {
		Servers map[string]struct {
			Type, Command string
			Args          []string
		}
	}
	if err := json.Unmarshal([]byte(s.VSCode), &vs); err != nil || vs.Servers["monarch"].Command != "/opt/my tools/monarch-mcp" || vs.Servers["monarch"].Type != "stdio" {
		t.Errorf("VSCode %v:\n%s", err, s.VSCode)
	}
	for _, j := range []string{s.DesktopBinary, s.DesktopDocker} {
		if !json.Valid([]byte(j)) {
			t.Errorf("not JSON:\n%s", j)
		}
	}
	if !strings.Contains(s.ClaudeCode, "'/opt/my tools/monarch-mcp'") {
		t.Errorf("ClaudeCode does not quote the path: %s", s.ClaudeCode)
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// A symbolic link at the .env path (a dotfiles setup) stays a link: the
// file it points to is written, and the wizard says so.
func TestSymlinkedEnvKept(t *testing.T) {
	tests := []struct {
		name     string
		relative bool // the link holds a relative path
		exists   bool // the file linked to exists before
	}{
		{"absolute link", false, true},
		{"relative link", true, true},
		{"link to a file not created yet", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, sandbox.Options{})
			dots := filepath.Join(f.dir, "dotfiles")
			if err := os.Mkdir(dots, 0o700); err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(dots, "monarch.env")
			if tt.exists {
				if err := os.WriteFile(target, []byte("# dotfiles\nMONARCH_LOG_LEVEL=debug\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			dest := target
			if tt.relative {
				dest = filepath.Join("dotfiles", "monarch.env")
			}
			if err := os.Symlink(dest, f.envPath); err != nil {
				t.Fatal(err)
			}
			term := &script{interactive: true, answers: []string{sandbox.DemoEmail, sandbox.DemoPassword, spaced(sandbox.DemoMFASecret), ""}}
			code, out := f.run(t, Options{}, term)
			if code != ExitOK {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			if fi, err := os.Lstat(f.envPath); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf(".env is no longer a symbolic link: %v %v", fi.Mode(), err)
			}
			if !strings.Contains(out, "symbolic link") || !strings.Contains(out, target) {
				t.Errorf("output does not say the link's target was written:\n%s", out)
			}
			m, err := godotenv.Read(target)
			if err != nil {
				t.Fatal(err)
			}
			if m[config.EnvEmail] != sandbox.DemoEmail || m[config.EnvPassword] != sandbox.DemoPassword {
				t.Errorf("target holds %v", m)
			}
			if tt.exists && m["MONARCH_LOG_LEVEL"] != "debug" {
				t.Errorf("target's other settings lost: %v", m)
			}
			if st, err := os.Stat(target); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("target: %v, mode %v", err, st.Mode().Perm())
			}
		})
	}
}
