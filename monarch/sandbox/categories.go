package sandbox

import "strings"

// groupByID returns the category group with the id, or nil.
func (st *state) groupByID(id string) *catGroup {
	for _, g := range st.groups {
		if g.id == id {
			return g
		}
	}
	return nil
}

// categoryNamed returns the category whose name matches name ignoring case,
// or nil. Monarch refuses two categories with the same name.
func (st *state) categoryNamed(name string) *category {
	for _, c := range st.cats {
		if strings.EqualFold(c.name, name) {
			return c
		}
	}
	return nil
}

// opCreateCategory adds a household category to a group. The rollover
// settings Monarch's input carries are accepted and ignored.
func opCreateCategory(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, code, field string) (any, error) {
		return obj{"createCategory": obj{
			"category": nil, "errors": payloadError(msg, code, field), "__typename": "CreateCategoryMutation",
		}}, nil
	}
	g := s.st.groupByID(in.str("group"))
	if g == nil {
		return fail("Category group not found.", "NOT_FOUND", "group")
	}
	name := strings.TrimSpace(in.str("name"))
	if name == "" {
		return fail("This field may not be blank.", "BAD_USER_INPUT", "name")
	}
	if s.st.categoryNamed(name) != nil {
		return fail("A category with this name already exists.", "BAD_USER_INPUT", "name")
	}
	icon := in.str("icon")
	if icon == "" {
		icon = "❓"
	}
	order := 0
	for _, c := range s.st.cats {
		if c.group == g {
			order = max(order, c.order+1)
		}
	}
	now := s.now()
	c := &category{id: s.st.newID(kindCategory), name: name, icon: icon, group: g, order: order, createdAt: now, updatedAt: now}
	s.st.cats = append(s.st.cats, c)
	s.st.catByID[c.id] = c
	s.st.catByName[c.name] = c
	return obj{"createCategory": obj{"category": s.renderCategory(c), "errors": nil, "__typename": "CreateCategoryMutation"}}, nil
}

// opUpdateCategory renames a category, changes its icon or moves it to
// another group. Everything is checked before anything changes.
func opUpdateCategory(s *Sandbox, v vars) (any, error) {
	in := v.obj("input")
	fail := func(msg, code, field string) (any, error) {
		return obj{"updateCategory": obj{
			"category": nil, "errors": payloadError(msg, code, field), "__typename": "UpdateCategoryMutation",
		}}, nil
	}
	c := s.st.catByID[in.str("id")]
	if c == nil {
		return fail("Category not found.", "NOT_FOUND", "id")
	}
	name := c.name
	if in.has("name") {
		name = strings.TrimSpace(in.str("name"))
		if name == "" {
			return fail("This field may not be blank.", "BAD_USER_INPUT", "name")
		}
		if other := s.st.categoryNamed(name); other != nil && other != c {
			return fail("A category with this name already exists.", "BAD_USER_INPUT", "name")
		}
	}
	g := c.group
	if in.has("group") {
		if g = s.st.groupByID(in.str("group")); g == nil {
			return fail("Category group not found.", "NOT_FOUND", "group")
		}
	}
	if g != c.group {
		c.order = 0
		for _, o := range s.st.cats {
			if o.group == g {
				c.order = max(c.order, o.order+1)
			}
		}
		c.group = g
	}
	delete(s.st.catByName, c.name)
	c.name = name
	s.st.catByName[c.name] = c
	if in.has("icon") {
		c.icon = in.str("icon")
	}
	if !c.createdAt.IsZero() {
		c.updatedAt = s.now()
	}
	return obj{"updateCategory": obj{"category": s.renderCategory(c), "errors": nil, "__typename": "UpdateCategoryMutation"}}, nil
}
