//! Prices of known hosted models (US dollars per million tokens, list prices) to estimate
//! what an answer cost; servers on this machine cost nothing.

/// Dollars per million input and output tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    pub input: f64,
    pub output: f64,
}

/// Longest prefix wins, so "gpt-4o-mini" is not priced as "gpt-4o".
const PRICES: &[(&str, f64, f64)] = &[
    ("gpt-4o-mini", 0.15, 0.60),
    ("gpt-4o", 2.50, 10.00),
    ("gpt-4.1-nano", 0.10, 0.40),
    ("gpt-4.1-mini", 0.40, 1.60),
    ("gpt-4.1", 2.00, 8.00),
    ("gpt-4-turbo", 10.00, 30.00),
    ("gpt-3.5-turbo", 0.50, 1.50),
    ("o4-mini", 1.10, 4.40),
    ("o3-mini", 1.10, 4.40),
    ("o3", 2.00, 8.00),
    ("o1-mini", 1.10, 4.40),
    ("o1", 15.00, 60.00),
    ("claude-3-5-haiku", 0.80, 4.00),
    ("claude-3-haiku", 0.25, 1.25),
    ("claude-3-5-sonnet", 3.00, 15.00),
    ("claude-3-7-sonnet", 3.00, 15.00),
    ("claude-sonnet-4", 3.00, 15.00),
    ("claude-opus-4", 15.00, 75.00),
    ("claude-3-opus", 15.00, 75.00),
    ("deepseek-chat", 0.27, 1.10),
    ("deepseek-reasoner", 0.55, 2.19),
];

/// The price of a model by name; a router prefix such as "openai/" is ignored.
pub fn price(model: &str) -> Option<Price> {
    let name = model
        .rsplit('/')
        .next()
        .unwrap_or(model)
        .to_ascii_lowercase();
    PRICES
        .iter()
        .filter(|(prefix, _, _)| name.starts_with(prefix))
        .max_by_key(|(prefix, _, _)| prefix.len())
        .map(|&(_, input, output)| Price { input, output })
}

/// Estimated dollars for a request; `None` for an unknown model.
pub fn estimate(model: &str, input: u64, output: u64, local: bool) -> Option<f64> {
    if local {
        return Some(0.0);
    }
    let p = price(model)?;
    Some((input as f64 * p.input + output as f64 * p.output) / 1_000_000.0)
}

/// "$0.0012", "$1.23", "free".
pub fn format(dollars: f64) -> String {
    if dollars <= 0.0 {
        "free".to_string()
    } else if dollars < 0.01 {
        format!("${dollars:.4}")
    } else {
        format!("${dollars:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_and_router_names() {
        assert_eq!(price("gpt-4o-mini-2024-07-18"), price("gpt-4o-mini"));
        assert_ne!(price("gpt-4o-mini"), price("gpt-4o"));
        assert_eq!(price("openai/gpt-4o"), price("gpt-4o"));
        assert!(price("smollm2-135m-instruct").is_none());
        let dollars = estimate("gpt-4o-mini", 1_000_000, 1_000_000, false).unwrap();
        assert!((dollars - 0.75).abs() < 1e-9);
        assert_eq!(format(estimate("x", 5, 5, true).unwrap()), "free");
        assert_eq!(format(0.000_45), "$0.0004");
    }
}
