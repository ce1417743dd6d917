pub fn ignored_by_caretignore() {}
