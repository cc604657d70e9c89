package main

import (
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	version, commit = "v9.8.7", "abc1234"
	defer func() { version, commit = "", "" }()
	if got := versionString(); !strings.HasPrefix(got, "login-setup v9.8.7 (commit abc1234, go") {
		t.Errorf("versionString() = %q", got)
	}
}
