package setup

import (
	"fmt"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// quietZone is the blank border, in modules, that scanners need around a
// QR code.
const quietZone = 2

// renderQR draws text as a QR code with half-block characters, two module
// rows per line of text. Light modules are drawn as blocks, so the code
// reads correctly on the usual dark terminal background.
func renderQR(text string) (string, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return "", fmt.Errorf("encode QR code: %w", err)
	}
	n := code.Bounds().Dx()
	size := n + 2*quietZone
	light := func(x, y int) bool {
		x, y = x-quietZone, y-quietZone
		if x < 0 || y < 0 || x >= n || y >= n {
			return true
		}
		r, _, _, _ := code.At(x, y).RGBA()
		return r > 0x7fff
	}
	var b strings.Builder
	for y := 0; y < size; y += 2 {
		for x := 0; x < size; x++ {
			top, bottom := light(x, y), y+1 >= size || light(x, y+1)
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteRune(' ')
			}
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}
