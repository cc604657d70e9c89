package setup

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/joho/godotenv"

	"github.com/monarch-mcp/monarch-mcp/reauth"
)

// readEnvFile returns the variables in the .env file at path (none if it
// does not exist) and its raw bytes.
func readEnvFile(path string) (map[string]string, []byte, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, unwrapPath(err))
	}
	vars, err := godotenv.UnmarshalBytes(raw)
	if err != nil {
		// godotenv's message may quote the file's content (secrets).
		return nil, nil, fmt.Errorf("%s is not a valid .env file; fix or move it, then run login-setup again", path)
	}
	return vars, raw, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// assignment matches a KEY=... line, optionally with "export ".
var assignment = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*[=:]`)

// updateEnv returns the .env content raw with the variables in set given
// new values and those in remove deleted. Other lines, comments included,
// are kept as they were; a variable not yet present is appended. Values
// with multi-line quoting in raw are not supported for the keys replaced
// (ours never are).
func updateEnv(raw []byte, set map[string]string, order []string, remove []string) []byte {
	drop := map[string]bool{}
	for _, k := range remove {
		drop[k] = true
	}
	done := map[string]bool{}
	var out bytes.Buffer
	lines := strings.SplitAfter(string(raw), "\n")
	for _, line := range lines {
		if line == "" {
			continue
		}
		m := assignment.FindStringSubmatch(line)
		if m == nil {
			out.WriteString(line)
			continue
		}
		key := m[1]
		v, replace := set[key]
		switch {
		case drop[key]:
			continue
		case replace && done[key]:
			continue // a duplicate of a key already written
		case replace:
			out.WriteString(key + "=" + quoteEnv(v) + "\n")
			done[key] = true
		default:
			out.WriteString(line)
		}
	}
	if out.Len() > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
		out.WriteByte('\n')
	}
	for _, k := range order {
		if v, ok := set[k]; ok && !done[k] {
			out.WriteString(k + "=" + quoteEnv(v) + "\n")
			done[k] = true
		}
	}
	return out.Bytes()
}

// quoteEnv writes v so that godotenv (and so monarch-mcp) reads back
// exactly v. It writes v bare whenever that reads back unchanged, because
// docker's --env-file takes values literally (quotes included); otherwise
// single quotes (no escapes or expansion), else double quotes with escapes.
// godotenv.Marshal is not used: it quotes every value, which docker would
// pass on as part of the password.
func quoteEnv(v string) string {
	if readsBack(v, v) {
		return v
	}
	if q := "'" + v + "'"; !strings.ContainsAny(v, "'\n\r") && readsBack(q, v) {
		return q
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "$", `\$`)
	return `"` + r.Replace(v) + `"`
}

// DockerSafe reports whether docker's --env-file passes v unchanged when
// written by quoteEnv (that is, when it is written bare).
func DockerSafe(v string) bool { return quoteEnv(v) == v }

func readsBack(written, want string) bool {
	m, err := godotenv.UnmarshalBytes([]byte("K=" + written + "\n"))
	return err == nil && m["K"] == want
}

// writeEnvFile writes content to path atomically with mode 0600, so an
// interrupted write leaves the old file in place, and returns the file
// written: path, or the file a symbolic link at path points to. It first
// reads content back with godotenv — the parser monarch-mcp uses — and
// refuses to write a file whose values would not read back exactly as set.
func writeEnvFile(path string, content []byte, set map[string]string) (string, error) {
	back, err := godotenv.UnmarshalBytes(content)
	if err != nil {
		return "", fmt.Errorf("the new %s would not parse; nothing was written", path)
	}
	for k, v := range set {
		if back[k] != v {
			return "", fmt.Errorf("%s would not read back exactly as entered; nothing was written", k)
		}
	}
	target, err := linkTarget(path)
	if err != nil {
		return "", err
	}
	// The atomic rename happens in the target's directory, so a link (a
	// dotfiles setup) stays a link instead of being replaced by a file.
	if err := reauth.WriteFileAtomic(target, content); err != nil {
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	// WriteFileAtomic creates 0600; an existing file replaced keeps that.
	return target, nil
}

// linkTarget returns the file that writing path should replace: path
// itself, or the file a symbolic link at path leads to, even one not
// created yet.
func linkTarget(path string) (string, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Mode()&fs.ModeSymlink == 0) {
		return path, nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, unwrapPath(err))
	}
	target, err := filepath.EvalSymlinks(path)
	if err == nil {
		return target, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s is a symbolic link that cannot be followed: %w", path, unwrapPath(err))
	}
	// A link to a file not created yet: write where it points.
	dest, err := os.Readlink(path)
	if err != nil {
		return "", fmt.Errorf("read the symbolic link %s: %w", path, unwrapPath(err))
	}
	if !filepath.IsAbs(dest) {
		dest = filepath.Join(filepath.Dir(path), dest)
	}
	return dest, nil
}
