/// Millimetres per inch.
pub const MM_PER_INCH: f64 = 25.4;

pub fn inches(mm: f64) -> f64 {
    mm / MM_PER_INCH
}
