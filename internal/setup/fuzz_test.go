package setup

import (
	"strings"
	"testing"
)

// FuzzParseSecret: whatever a user pastes, the wizard answers with a key
// or an explanation that does not repeat what was pasted.
func FuzzParseSecret(f *testing.F) {
	for _, s := range []string{
		"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "jbsw y3dp ehpk 3pxp", "123 456", "12345678", "ab12-cd34",
		"otpauth://totp/M:a?secret=JBSWY3DPEHPK3PXP&period=60", "otpauth://totp/M:a", "JBSWY3DPEHPK3PX8", " ", "é",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		stored, tp, err := ParseSecret(s)
		if err != nil {
			if _, ok := err.(*SecretInputError); !ok {
				t.Errorf("error of type %T", err)
			}
			if in := strings.TrimSpace(s); len(in) >= 12 && strings.Contains(err.Error(), in) {
				t.Errorf("error repeats the input")
			}
			return
		}
		if stored == "" || tp == nil {
			t.Errorf("accepted with nothing to store")
		}
		// What is stored must parse again to the same key.
		again, _, err := ParseSecret(stored)
		if err != nil || again != stored {
			t.Errorf("stored form does not round-trip: %v", err)
		}
	})
}
