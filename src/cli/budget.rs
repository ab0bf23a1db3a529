//! The budget flags of `bale render` and `bale lint-templates`: what one template may spend
//! before it fails with a template error (see `rubyerb::Limits` for each).

use std::time::Duration;

use clap::Args;

use crate::template::Limits;

#[derive(Args, Debug, Clone)]
pub(super) struct BudgetArgs {
    /// Evaluation steps one template may take
    #[arg(long, value_name = "N", default_value_t = Limits::default().steps)]
    max_steps: u64,
    /// Nested method and block calls
    #[arg(long, value_name = "N", default_value_t = Limits::default().call_depth)]
    max_call_depth: usize,
    /// Bytes of any string or output, elements of any array or hash
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_len)]
    max_size: usize,
    /// Bytes and elements allocated by one template in total
    #[arg(long, value_name = "N", default_value_t = Limits::default().total_alloc)]
    max_alloc: u64,
    /// Width or precision in a format or padding
    #[arg(long, value_name = "N", default_value_t = Limits::default().format_width)]
    max_format_width: usize,
    /// Elements a range or counting loop materialises
    #[arg(long, value_name = "N", default_value_t = Limits::default().range)]
    max_range: u64,
    /// Seconds one template may run
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().time.as_secs_f64())]
    max_seconds: f64,
}

impl BudgetArgs {
    pub(super) fn limits(&self) -> Limits {
        Limits {
            steps: self.max_steps,
            call_depth: self.max_call_depth,
            max_len: self.max_size,
            total_alloc: self.max_alloc,
            format_width: self.max_format_width,
            range: self.max_range,
            time: Duration::try_from_secs_f64(self.max_seconds).unwrap_or(Duration::MAX),
            ..Limits::default()
        }
    }
}
