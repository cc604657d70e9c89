//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package setup

import "golang.org/x/sys/unix"

// echoOff turns the terminal's echo off (nothing else: Ctrl-C still
// interrupts) and returns how to turn it back on.
func echoOff(fd int) (restore func(), err error) {
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return nil, err
	}
	st := *old
	st.Lflag &^= unix.ECHO
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &st); err != nil {
		return nil, err
	}
	return func() { _ = unix.IoctlSetTermios(fd, ioctlSetTermios, old) }, nil
}
