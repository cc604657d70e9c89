// Package monarch is a client for Monarch Money's unofficial API: the
// /auth/login/ endpoint and the GraphQL endpoint its web app uses.
//
// A [Client] speaks both authentication styles Monarch uses (an
// "Authorization: Token" header, or browser-style session cookies with a
// CSRF token), logs in with a password and an authenticator code, and keeps
// its session in a [reauth.Manager] ([Client.Auth]) that renews it when
// Monarch refuses it. The typed methods (GetAccounts, GetTransactions, ...)
// run against the manager's current session and do not re-login by
// themselves: wrap them with [reauth.WithReauth] for that.
//
// Monarch publishes no API and changes it without notice, so every answer is
// checked: a shape the client does not recognise fails with an error that
// wraps [ErrUnexpectedResponse] instead of returning zero values.
//
// Errors and log lines never contain the password, codes, tokens, cookies or
// the household data sent as GraphQL variables.
package monarch
