package reauth

import (
	"strings"
	"testing"
)

// FuzzNewTOTP feeds arbitrary secrets and otpauth URIs: a clear error or a
// working code source, never a panic, and never the input in the error.
func FuzzNewTOTP(f *testing.F) {
	for _, s := range []string{
		"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "jbsw y3dp ehpk 3pxp", "JBSW-Y3DP-EHPK-3PXP====", "123456", "",
		"otpauth://totp/M:a?secret=JBSWY3DPEHPK3PXP&issuer=M",
		"otpauth://totp/M:a?secret=JBSWY3DPEHPK3PXP&period=0&digits=99&algorithm=MD5",
		"otpauth://hotp/M:a?secret=JBSWY3DPEHPK3PXP", "otpauth://totp/?secret=", "otpauth://%zz", "http://x",
		"JBSWY3DPEHPK3PX0", "A", strings.Repeat("A", 4096),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tp, err := NewTOTP(s)
		if err != nil {
			if len(strings.TrimSpace(s)) >= 12 && strings.Contains(err.Error(), strings.TrimSpace(s)) {
				t.Errorf("error repeats the input: %v", err)
			}
			return
		}
		code, left, err := tp.Peek()
		if err != nil || code == "" || left <= 0 || left > tp.Period() {
			t.Errorf("accepted secret gives code %q, %v left, err %v", code, left, err)
		}
	})
}
