package setup

import (
	"net/url"
)

// keyURI is the otpauth URI for a base32 key, for a QR code that an
// authenticator app can scan.
func keyURI(secret, account string) string {
	q := url.Values{"secret": {secret}, "issuer": {"Monarch"}}
	return "otpauth://totp/" + url.PathEscape("Monarch:"+account) + "?" + q.Encode()
}
