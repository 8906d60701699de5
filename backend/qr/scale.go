package qr

import (
	"image"
	"image/draw"

	"github.com/makiuchi-d/gozxing"
)

// graySource is g as a gozxing luminance source, without a copy.
func graySource(g *image.Gray) gozxing.LuminanceSource {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	pix := g.Pix
	if g.Stride != w {
		pix = make([]byte, w*h)
		for y := 0; y < h; y++ {
			copy(pix[y*w:(y+1)*w], g.Pix[y*g.Stride:])
		}
	}
	src, err := gozxing.NewPlanarYUVLuminanceSource(pix, w, h, 0, 0, w, h, false)
	if err != nil { // only for inconsistent sizes, which g cannot have
		panic(err)
	}
	return src
}

// toGray returns m as 8-bit luminance.
func toGray(m image.Image) *image.Gray {
	if g, ok := m.(*image.Gray); ok {
		return g
	}
	b := m.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	if yc, ok := m.(*image.YCbCr); ok {
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], yc.Y[yc.YOffset(b.Min.X, b.Min.Y+y):])
		}
		return g
	}
	draw.Draw(g, g.Bounds(), m, b.Min, draw.Src)
	return g
}

// resizeGray scales g by f: bilinear when enlarging, area averaging when
// reducing.
func resizeGray(g *image.Gray, f float64) *image.Gray {
	sw, sh := g.Rect.Dx(), g.Rect.Dy()
	w, h := int(float64(sw)*f+0.5), int(float64(sh)*f+0.5)
	if w < 1 || h < 1 {
		return g
	}
	d := image.NewGray(image.Rect(0, 0, w, h))
	if f < 1 {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var sum, cnt int
				for yy := y * sh / h; yy < (y+1)*sh/h && yy < sh; yy++ {
					row := g.Pix[yy*g.Stride:]
					for xx := x * sw / w; xx < (x+1)*sw/w && xx < sw; xx++ {
						sum += int(row[xx])
						cnt++
					}
				}
				if cnt == 0 {
					cnt, sum = 1, int(g.Pix[(y*sh/h)*g.Stride+x*sw/w])
				}
				d.Pix[y*d.Stride+x] = uint8(sum / cnt)
			}
		}
		return d
	}
	// bilinear, 8.8 fixed point
	for y := 0; y < h; y++ {
		sy := (float64(y)+0.5)/f - 0.5
		if sy < 0 {
			sy = 0
		}
		y0 := int(sy)
		y1 := min(y0+1, sh-1)
		fy := int((sy - float64(y0)) * 256)
		r0, r1 := g.Pix[y0*g.Stride:], g.Pix[y1*g.Stride:]
		out := d.Pix[y*d.Stride:]
		for x := 0; x < w; x++ {
			sx := (float64(x)+0.5)/f - 0.5
			if sx < 0 {
				sx = 0
			}
			x0 := int(sx)
			x1 := min(x0+1, sw-1)
			fx := int((sx - float64(x0)) * 256)
			top := int(r0[x0])*(256-fx) + int(r0[x1])*fx
			bot := int(r1[x0])*(256-fx) + int(r1[x1])*fx
			out[x] = uint8((top*(256-fy) + bot*fy) >> 16)
		}
	}
	return d
}
