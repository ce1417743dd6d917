//! Turning shapes into text.

use std::fmt::Write as _;

use crate::shapes::{Circle, Shape};

/// Describes a circle for people.
pub fn describe(circle: &Circle) -> String {
    let mut out = String::new();
    let _ = write!(out, "a circle of area {}", fmt_area(circle.area()));
    out
}

fn fmt_area(area: f64) -> String {
    format!("{area:.2}")
}

pub struct Report {
    lines: Vec<String>,
}

impl Report {
    pub fn add(&mut self, circle: &Circle) {
        self.lines.push(describe(circle));
    }
}
