// Package qrtest makes "phone photos" of QR code images for tests: the code
// shown in a window on a screen, photographed smaller, tilted, blurred,
// noisy and saved as a JPEG — the way a reseller photographs a customer's
// screen (issue 9). Pure Go and deterministic: the same Params give the
// same bytes.
package qrtest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // qr.Encode's output
	"math"
	"math/rand"
)

// Params describe one photo.
type Params struct {
	Scale   float64 // size of the photo relative to the screen (0.25 = 25 %)
	Angle   float64 // rotation in degrees
	Blur    float64 // Gaussian blur sigma, in output pixels (0 = none)
	Noise   float64 // Gaussian noise sigma, in 0..255 levels
	Quality int     // JPEG quality
	Seed    int64   // noise and screen layout
}

func (p Params) String() string {
	return fmt.Sprintf("scale %.0f%% angle %+.1f° blur %.2f noise %.1f q%d seed %d",
		p.Scale*100, p.Angle, p.Blur, p.Noise, p.Quality, p.Seed)
}

// Corpus returns n deterministic Params: scales stepping through 25–60 %,
// every fourth photo unrotated and the others rotated up to ±12°, blur
// sigma 0.4–1.2, noise sigma 2–8, JPEG quality 65.
func Corpus(n int, seed int64) []Params {
	rng := rand.New(rand.NewSource(seed))
	out := make([]Params, n)
	for i := range out {
		p := Params{Scale: 0.25 + 0.05*float64(i%8), Quality: 65, Seed: seed*1000 + int64(i)}
		if i%4 != 0 {
			p.Angle = (rng.Float64()*2 - 1) * 12
		}
		p.Blur = 0.4 + 0.8*rng.Float64()
		p.Noise = 2 + 6*rng.Float64()
		out[i] = p
	}
	return out
}

// plane is a luminance image in 0..255.
type plane struct {
	w, h int
	pix  []float32
}

func newPlane(w, h int, v float32) *plane {
	p := &plane{w: w, h: h, pix: make([]float32, w*h)}
	for i := range p.pix {
		p.pix[i] = v
	}
	return p
}

func (p *plane) at(x, y int) float32 {
	if x < 0 || y < 0 || x >= p.w || y >= p.h {
		return -1
	}
	return p.pix[y*p.w+x]
}

// Photo returns a JPEG photo of the QR code image code (PNG or any format
// image.Decode knows) shown on a screen.
func Photo(code []byte, p Params) ([]byte, error) {
	m, _, err := image.Decode(bytes.NewReader(code))
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewSource(p.Seed))
	screen := onScreen(m, rng)
	small := downscale(screen, p.Scale)
	rot := rotate(small, p.Angle, 28)
	if p.Blur > 0 {
		rot = blur(rot, p.Blur)
	}
	img := image.NewRGBA(image.Rect(0, 0, rot.w, rot.h))
	for y := 0; y < rot.h; y++ {
		for x := 0; x < rot.w; x++ {
			v := float64(rot.pix[y*rot.w+x])
			// a cool screen white, a little noise per channel
			r := v*0.96 + rng.NormFloat64()*p.Noise
			g := v*0.99 + rng.NormFloat64()*p.Noise
			b := v + rng.NormFloat64()*p.Noise
			img.SetRGBA(x, y, color.RGBA{clamp(r), clamp(g), clamp(b), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: p.Quality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func clamp(v float64) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// onScreen draws the code in an app window on a screen with a dark bezel:
// a screen's reduced contrast (black ~45, white ~230), a title bar, lines
// of "text" beside and under the code, and uneven brightness.
func onScreen(m image.Image, rng *rand.Rand) *plane {
	b := m.Bounds()
	n := b.Dx()
	bezel := n / 12
	win := n * 3 / 2
	W, H := win+2*bezel, win*9/10+2*bezel
	s := newPlane(W, H, 22) // bezel
	const black, white = 45, 230
	for y := bezel; y < H-bezel; y++ {
		for x := bezel; x < W-bezel; x++ {
			s.pix[y*W+x] = white
		}
	}
	// title bar
	for y := bezel; y < bezel+n/14; y++ {
		for x := bezel; x < W-bezel; x++ {
			s.pix[y*W+x] = 190
		}
	}
	// the code, at a random place in the window
	ox := bezel + n/20 + rng.Intn(win-n-n/10)
	oy := bezel + n/12 + rng.Intn(max(1, H-2*bezel-n-n/12))
	for y := 0; y < b.Dy() && oy+y < H-bezel; y++ {
		for x := 0; x < n; x++ {
			r, g, bb, _ := m.At(b.Min.X+x, b.Min.Y+y).RGBA()
			l := (299*float32(r) + 587*float32(g) + 114*float32(bb)) / 1000 / 65535
			s.pix[(oy+y)*W+ox+x] = black + (white-black)*l
		}
	}
	// text lines where the code is not
	lh := max(2, n/60)
	for y := bezel + n/8; y+lh < H-bezel; y += 3 * lh {
		x0 := bezel + n/30
		for x0 < W-bezel-n/30 {
			wd := n/20 + rng.Intn(n/6)
			for yy := y; yy < y+lh; yy++ {
				for x := x0; x < min(x0+wd, W-bezel-n/30); x++ {
					if x >= ox-n/40 && x < ox+n+n/40 && yy >= oy-n/40 && yy < oy+b.Dy()+n/40 {
						continue
					}
					s.pix[yy*W+x] = 80
				}
			}
			x0 += wd + n/40
		}
	}
	// uneven brightness: a soft gradient across the screen
	gx, gy := rng.Float64()*2-1, rng.Float64()*2-1
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			f := 1 + 0.08*(gx*(float64(x)/float64(W)-0.5)+gy*(float64(y)/float64(H)-0.5))
			s.pix[y*W+x] *= float32(f)
		}
	}
	return s
}

// downscale resamples by area averaging (what a camera sensor does).
func downscale(src *plane, s float64) *plane {
	w, h := max(1, int(float64(src.w)*s)), max(1, int(float64(src.h)*s))
	dst := newPlane(w, h, 0)
	fx, fy := float64(src.w)/float64(w), float64(src.h)/float64(h)
	for y := 0; y < h; y++ {
		y0, y1 := float64(y)*fy, float64(y+1)*fy
		for x := 0; x < w; x++ {
			x0, x1 := float64(x)*fx, float64(x+1)*fx
			var sum, area float64
			for sy := int(y0); float64(sy) < y1 && sy < src.h; sy++ {
				wy := math.Min(y1, float64(sy+1)) - math.Max(y0, float64(sy))
				for sx := int(x0); float64(sx) < x1 && sx < src.w; sx++ {
					wx := math.Min(x1, float64(sx+1)) - math.Max(x0, float64(sx))
					sum += float64(src.pix[sy*src.w+sx]) * wx * wy
					area += wx * wy
				}
			}
			dst.pix[y*w+x] = float32(sum / area)
		}
	}
	return dst
}

// rotate turns src by deg degrees about its centre (bilinear), onto a
// canvas just large enough, filled with bg (the desk around the screen).
func rotate(src *plane, deg float64, bg float32) *plane {
	if deg == 0 {
		return src
	}
	a := deg * math.Pi / 180
	c, s := math.Cos(a), math.Sin(a)
	w := int(math.Abs(float64(src.w)*c)+math.Abs(float64(src.h)*s)) + 2
	h := int(math.Abs(float64(src.w)*s)+math.Abs(float64(src.h)*c)) + 2
	dst := newPlane(w, h, bg)
	cx, cy := float64(src.w)/2, float64(src.h)/2
	dx, dy := float64(w)/2, float64(h)/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			u, v := float64(x)+0.5-dx, float64(y)+0.5-dy
			sx := c*u + s*v + cx - 0.5
			sy := -s*u + c*v + cy - 0.5
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := float32(sx-float64(x0)), float32(sy-float64(y0))
			p00, p10, p01, p11 := src.at(x0, y0), src.at(x0+1, y0), src.at(x0, y0+1), src.at(x0+1, y0+1)
			if p00 < 0 || p10 < 0 || p01 < 0 || p11 < 0 {
				continue
			}
			dst.pix[y*w+x] = (p00*(1-fx)+p10*fx)*(1-fy) + (p01*(1-fx)+p11*fx)*fy
		}
	}
	return dst
}

// blur is a separable Gaussian blur.
func blur(src *plane, sigma float64) *plane {
	r := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*r+1)
	var sum float32
	for i := range k {
		d := float64(i - r)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := newPlane(src.w, src.h, 0)
	for y := 0; y < src.h; y++ {
		for x := 0; x < src.w; x++ {
			var v float32
			for i, kv := range k {
				xx := min(max(x+i-r, 0), src.w-1)
				v += kv * src.pix[y*src.w+xx]
			}
			tmp.pix[y*src.w+x] = v
		}
	}
	dst := newPlane(src.w, src.h, 0)
	for y := 0; y < src.h; y++ {
		for x := 0; x < src.w; x++ {
			var v float32
			for i, kv := range k {
				yy := min(max(y+i-r, 0), src.h-1)
				v += kv * tmp.pix[yy*src.w+x]
			}
			dst.pix[y*src.w+x] = v
		}
	}
	return dst
}
