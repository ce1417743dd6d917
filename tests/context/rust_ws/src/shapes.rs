//! Shapes and their areas.

/// Something with an area.
pub trait Shape {
    fn area(&self) -> f64;
}

/// A circle of radius `r`.
#[derive(Debug, Clone, Copy)]
pub struct Circle {
    pub r: f64,
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        std::f64::consts::PI * self.r * self.r
    }
}

/// The circle of radius one.
pub fn unit() -> Circle {
    Circle { r: 1.0 }
}
