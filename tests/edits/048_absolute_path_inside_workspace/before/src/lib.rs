pub const NAME: &str = "old";
