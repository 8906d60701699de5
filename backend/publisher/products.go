package publisher

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Product is a registered product.
type Product struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

type productsDoc struct {
	Products []Product `json:"products"`
}

// ValidProductID reports whether id is a usable product id: 1-64 of
// a-z 0-9 . _ -, starting with a letter or digit.
func ValidProductID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// slug makes a product id from a name: "Acme CAD 4" -> "acme-cad-4".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	if b.Len() == 0 {
		return "product"
	}
	return b.String()
}

// Products lists the registered products by id.
func (p *Publisher) Products() ([]Product, error) {
	var d productsDoc
	if err := p.loadJSON(productsFile, &d); err != nil {
		return nil, err
	}
	sort.Slice(d.Products, func(i, j int) bool { return d.Products[i].ID < d.Products[j].ID })
	return d.Products, nil
}

// Product returns the product with id.
func (p *Publisher) Product(id string) (Product, error) {
	ps, err := p.Products()
	if err != nil {
		return Product{}, err
	}
	for _, q := range ps {
		if q.ID == id {
			return q, nil
		}
	}
	return Product{}, fmt.Errorf("%w: %q", ErrProductUnknown, id)
}

// AddProduct registers a product under id, or under a new id made from
// name when id is empty.
func (p *Publisher) AddProduct(name, id string) (Product, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return Product{}, fmt.Errorf("%w: name must be 1-200 characters", ErrProductInvalid)
	}
	if id != "" && !ValidProductID(id) {
		return Product{}, fmt.Errorf("%w: id %q (use 1-64 of a-z 0-9 . _ -)", ErrProductInvalid, id)
	}
	unlock, err := p.lock()
	if err != nil {
		return Product{}, err
	}
	defer unlock()
	var d productsDoc
	if err := p.loadJSON(productsFile, &d); err != nil {
		return Product{}, err
	}
	taken := map[string]bool{}
	for _, q := range d.Products {
		taken[q.ID] = true
	}
	if id != "" && taken[id] {
		return Product{}, fmt.Errorf("%w: %q", ErrProductExists, id)
	}
	if id == "" {
		base := slug(name)
		id = base
		for n := 2; taken[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
	}
	prod := Product{ID: id, Name: name, CreatedAt: p.now()}
	d.Products = append(d.Products, prod)
	if err := p.saveJSON(productsFile, &d); err != nil {
		return Product{}, err
	}
	return prod, nil
}
