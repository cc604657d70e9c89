package reauth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/monarch-mcp/monarch-mcp/reauth"
)

const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // RFC 6238's "12345678901234567890"

func TestNewTOTPFormats(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"plain", rfcSecret, true},
		{"lowercase with spaces", "gezd gnbv gy3t qojq gezd gnbv gy3t qojq", true},
		{"dashes and padding", "GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ====", true},
		{"otpauth uri", "otpauth://totp/Monarch:me?secret=" + rfcSecret + "&period=30&digits=6", true},
		{"empty", "  ", false},
		{"six digit code", "123456", false},
		{"recovery code", "a1b2-c3d4-e5f6", false},
		{"too short", "GEZDGNBV", false},
		{"bad characters", "GEZDGNBVGY3TQOJQ!!!!", false},
		{"other uri", "https://example.com/?secret=" + rfcSecret, false},
		{"hotp uri", "otpauth://hotp/x?secret=" + rfcSecret + "&counter=1", false},
		{"MD5 uri", "otpauth://totp/x?secret=" + rfcSecret + "&algorithm=MD5", false},
		{"SHA256 uri", "otpauth://totp/x?secret=" + rfcSecret + "&algorithm=SHA256", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := reauth.NewTOTP(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if err != nil {
				if !errors.Is(err, reauth.ErrInvalidSecret) {
					t.Errorf("err %v does not wrap ErrInvalidSecret", err)
				}
				if strings.TrimSpace(tc.in) != "" && strings.Contains(err.Error(), strings.TrimSpace(tc.in)) {
					t.Errorf("error echoes the input: %v", err)
				}
			}
		})
	}
}

func TestTOTPNeverReusesAStep(t *testing.T) {
	clk := &clock{now: time.Unix(59, 0)}
	tp, err := reauth.NewTOTP(rfcSecret)
	if err != nil {
		t.Fatal(err)
	}
	var waited []time.Duration
	tp.Now = clk.Now
	tp.Sleep = func(_ context.Context, d time.Duration) error {
		waited = append(waited, d)
		clk.Advance(d)
		return nil
	}
	first, err := tp.Code(context.Background())
	if err != nil || first != "287082" {
		t.Fatalf("first code %q, %v; want RFC 6238 vector 287082", first, err)
	}
	clk.now = time.Unix(50, 0)
	second, err := tp.Code(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if second == first || len(waited) != 1 || waited[0] != 10*time.Second {
		t.Fatalf("second %q after waits %v; want a new code after 10s", second, waited)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tp.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	if _, err := tp.Code(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: err = %v", err)
	}
}
