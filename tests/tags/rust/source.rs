//! A tiny geometry module.

use std::collections::HashMap;
use std::fmt::{self, Display};
extern crate alloc;

/// Largest side allowed.
pub const MAX_SIDE: u32 = 1_000;

/// A shape that has an area.
pub trait Shape {
    /// The area in square units.
    fn area(&self) -> f64;

    fn name(&self) -> String {
        String::from("shape")
    }
}

/// An axis-aligned rectangle.
#[derive(Debug, Clone)]
pub struct Rect {
    pub width: f64,
    pub height: f64,
}

// A comment with a blank line after it belongs to no item.

pub enum Kind {
    Square,
    Wide,
}

impl Rect {
    /// Makes a square.
    #[must_use]
    pub fn square(side: f64) -> Self {
        Rect {
            width: side,
            height: side,
        }
    }

    pub fn kind(&self) -> Kind {
        if self.width == self.height {
            Kind::Square
        } else {
            Kind::Wide
        }
    }
}

impl Shape for Rect {
    fn area(&self) -> f64 {
        self.width * self.height
    }
}

impl Display for Rect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

macro_rules! square {
    // One side is enough.
    ($side:expr) => {
        Rect::square($side)
    };
}

type Index = HashMap<String, Rect>;

pub fn total_area(shapes: &[Box<dyn Shape>]) -> f64 {
    shapes.iter().map(|s| s.area()).sum()
}

mod tests {
    use super::*;

    fn index() -> Index {
        let mut index = Index::new();
        index.insert("a".into(), square!(2.0));
        index
    }
}

// An associated type in an impl is no definition; the trait's own is.
impl std::ops::Neg for Rect {
    type Output = Rect;
    fn neg(self) -> Rect {
        debug_assert!(self.area() >= 0.0, "{}", describe(&self));
        self
    }
}

trait Scaled {
    type Output;
}
