SELECT id FROM shapes WHERE hash = $1
