package config

import (
	"slices"
	"strings"
	"testing"
)

func TestSetNames(t *testing.T) {
	c, err := Load(t.Context(), src([]string{
		"MONARCH_EMAIL=me@example.com", "MONARCH_PASSWORD_FILE=/run/pw", "MONARCH_MFA_SECRET=" + testSecret, "MONARCH_READ_ONLY=true",
	}, files{"/run/pw": "hunter2\n"}))
	if err != nil {
		t.Fatal(err)
	}
	got := c.SetNames()
	// The session file has a default, so it always counts as set.
	want := []string{EnvEmail, EnvPassword, EnvMFASecret, EnvSessionFile, EnvReadOnly}
	if !slices.Equal(got, want) {
		t.Errorf("SetNames() = %v, want %v", got, want)
	}
	for _, n := range got {
		if strings.Contains(n, "hunter2") || strings.Contains(n, testSecret) {
			t.Error("a value leaked into the names")
		}
	}
}
