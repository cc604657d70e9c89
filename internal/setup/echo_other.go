//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package setup

// echoOff does nothing here: term.ReadPassword alone turns echo off, once
// the prompt is shown.
func echoOff(int) (restore func(), err error) { return func() {}, nil }
