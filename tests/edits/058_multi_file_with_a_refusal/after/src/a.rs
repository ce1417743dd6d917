pub fn a() -> u8 { 10 }
