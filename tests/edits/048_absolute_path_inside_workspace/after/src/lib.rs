pub const NAME: &str = "new";
