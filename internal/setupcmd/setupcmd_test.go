package setupcmd

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
	}{
		{nil, ""},
		{[]string{"--check", "--env-file", "/tmp/x.env"}, ""},
		{[]string{"--email", "a@b.c", "--password-stdin", "--qr"}, ""},
		{[]string{"--bogus"}, "not defined"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"--check", "--browser"}, "cannot be used together"},
		{[]string{"--browser", "--password-stdin"}, "not --browser"},
		{[]string{"--env-file="}, "must name a file"},
		{[]string{"--store", "keychain"}, ""},
		{[]string{"--store", "env", "--email", "a@b.c"}, ""},
		{[]string{"--store", "vault"}, "--store must be"},
		{[]string{"--store", "env", "--check"}, "applies to the password setup"},
		{[]string{"--forget"}, ""},
		{[]string{"--forget", "--check"}, "--forget cannot be combined"},
	}
	for _, tt := range tests {
		_, err := parseArgs(tt.args)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("parseArgs(%q) = %v, want %q", tt.args, err, tt.wantErr)
		}
	}
	if _, err := parseArgs([]string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

func TestHelpNamesEveryFlag(t *testing.T) {
	var b bytes.Buffer
	printHelp(&b)
	for _, f := range []string{"-env-file", "-email", "-password-stdin", "-qr", "-check", "-browser", "-store", "-forget", "-help", "-version", "Ctrl-C"} {
		if !strings.Contains(b.String(), f) {
			t.Errorf("help lacks %s", f)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	o, err := parseArgs([]string{"--version"})
	if err != nil || !o.version {
		t.Fatalf("--version: %+v, %v", o, err)
	}
}
