pub const N: u8 = 2;
