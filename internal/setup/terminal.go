package setup

import (
	"bufio"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// readFirstLine returns r's first line without its line ending.
func readFirstLine(r io.Reader) (string, error) {
	s, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		return "", err
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// StdTerminal is the process's own terminal.
type StdTerminal struct {
	in *bufio.Reader
	f  *os.File
}

// NewStdTerminal reads from f (normally os.Stdin).
func NewStdTerminal(f *os.File) *StdTerminal {
	return &StdTerminal{in: bufio.NewReader(f), f: f}
}

// ReadLine implements [Terminal].
func (t *StdTerminal) ReadLine() (string, error) {
	s, err := t.in.ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		return "", err
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// ReadSecret implements [Terminal]: no echo on a terminal.
func (t *StdTerminal) ReadSecret() (string, error) {
	if !t.Interactive() {
		return t.ReadLine()
	}
	b, err := term.ReadPassword(int(t.f.Fd()))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Interactive implements [Terminal].
func (t *StdTerminal) Interactive() bool { return term.IsTerminal(int(t.f.Fd())) }

// EchoOff turns echo off until restore is called. The wizard calls it
// before printing a secret's prompt: a paste (or a password manager's
// typing) that arrives as soon as the prompt shows is then not echoed
// either, which it would be if echo went off only when reading starts.
func (t *StdTerminal) EchoOff() (restore func(), err error) {
	if !t.Interactive() {
		return func() {}, nil
	}
	return echoOff(int(t.f.Fd()))
}
