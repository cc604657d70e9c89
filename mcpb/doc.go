// Package mcpb holds the Claude Desktop bundle (MCP Bundle, .mcpb)
// manifest, manifest.json, and the code that keeps its tool list equal to
// the server's tools. scripts/bundle.sh packs the manifest with one
// platform's binary into a .mcpb file.
//
// After adding, removing or renaming a tool, run
//
//	go generate ./mcpb
//
// to rewrite the manifest's "tools" list; TestManifestTools fails until
// then.
package mcpb

//go:generate go run ./gen
