//! Budgets: what one template may spend. Templates come from third-party releases, so every
//! way a template can use time, memory or native stack without bound has a limit, and
//! exceeding it is a template error at the template's line, never a crash or a hang.
//!
//! Call depth raises Ruby's own `SystemStackError` (rescuable, as in Ruby, because unwinding
//! gives the stack back). Every other budget raises `BudgetExceeded`, which no `rescue`
//! catches: a template could otherwise rescue its way past a spent budget.

use std::time::{Duration, Instant};

/// Limits of one template's compilation and evaluation. The defaults are far above what
/// real templates use and far below what breaks a machine.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Expressions evaluated (every loop iteration and block call evaluates some).
    pub steps: u64,
    /// Nested method, block and lambda calls.
    pub call_depth: usize,
    /// Nesting of the template's expressions (parentheses, brackets, blocks) when parsed.
    pub nesting: usize,
    /// Tokens of one template or `eval` string when compiled. Each token becomes at most a
    /// node or two of the program, so this bounds what a compile holds in memory (a 14 MB
    /// array literal took 1.3 GB); real templates have at most some 20,000.
    pub tokens: usize,
    /// Bytes of any one string, elements of any one array or hash, bytes of output.
    pub max_len: usize,
    /// Bytes and elements of every string, array and hash a template makes, summed.
    pub total_alloc: u64,
    /// Width or precision in a format (`'%0100d' % 1`, `ljust`).
    pub format_width: usize,
    /// Elements a range or a counting loop materialises at once.
    pub range: u64,
    /// Wall time of one template.
    pub time: Duration,
    /// Nodes plus scalar bytes of a YAML document (manifest, spec) with aliases expanded.
    pub yaml_expanded: u64,
    /// Nesting of a YAML document.
    pub yaml_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            steps: 50_000_000,
            call_depth: 2_000,
            nesting: 5_000,
            tokens: 1_000_000,
            max_len: 64 << 20,
            total_alloc: 1 << 30,
            format_width: 1 << 20,
            range: 10_000_000,
            time: Duration::from_secs(20),
            yaml_expanded: 64 << 20,
            yaml_depth: 200,
        }
    }
}

/// The exception class of a spent budget.
pub const EXCEEDED: &str = "BudgetExceeded";

/// What one evaluation has spent so far.
pub struct Budget {
    pub limits: Limits,
    steps: u64,
    /// The step at which the limits are next looked at: the step limit's or the next clock
    /// reading's, whichever comes first, so that a step is one comparison.
    next: u64,
    alloc: u64,
    started: Instant,
}

/// Which limit was passed, for the message.
pub enum Spent {
    Steps,
    Time,
    Len(usize),
    Alloc,
    Width(i64),
    Range(i64),
}

impl Budget {
    pub fn new(limits: Limits) -> Budget {
        Budget {
            limits,
            steps: 0,
            next: 0,
            alloc: 0,
            started: Instant::now(),
        }
    }

    /// One evaluation step; the clock is read every 4096 steps.
    #[inline]
    pub fn step(&mut self) -> Result<(), Spent> {
        self.steps += 1;
        if self.steps >= self.next {
            return self.checkpoint();
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn checkpoint(&mut self) -> Result<(), Spent> {
        if self.steps > self.limits.steps {
            return Err(Spent::Steps);
        }
        let clock = (self.steps | 4095) + 1;
        self.next = clock.min(self.limits.steps.saturating_add(1));
        if self.steps & 4095 == 0 && self.started.elapsed() > self.limits.time {
            return Err(Spent::Time);
        }
        Ok(())
    }

    /// A new string of `len` bytes (or anything else of `len` bytes).
    pub fn alloc(&mut self, len: usize) -> Result<(), Spent> {
        self.alloc_items(len, 1)
    }

    /// A new array or hash of `len` elements of `item` bytes each: its length is held to the
    /// size limit, its bytes count towards the total (an array of a million elements holds
    /// 24 MB, not a million bytes).
    pub fn alloc_items(&mut self, len: usize, item: usize) -> Result<(), Spent> {
        self.alloc_block(len, item, 0)
    }

    /// [`Budget::alloc_items`] for a value whose own block, `head` bytes, counts too.
    pub fn alloc_block(&mut self, len: usize, item: usize, head: usize) -> Result<(), Spent> {
        if len > self.limits.max_len {
            return Err(Spent::Len(len));
        }
        self.alloc = self
            .alloc
            .saturating_add((len as u64).saturating_mul(item as u64))
            .saturating_add(head as u64);
        if self.alloc > self.limits.total_alloc {
            return Err(Spent::Alloc);
        }
        Ok(())
    }

    /// A size about to be allocated, checked before the allocation (`"a" * n`).
    pub fn len(&self, len: i64) -> Result<(), Spent> {
        if len < 0 || len as u64 > self.limits.max_len as u64 {
            return Err(Spent::Len(len.max(0) as usize));
        }
        Ok(())
    }

    pub fn width(&self, w: i64) -> Result<(), Spent> {
        if w.unsigned_abs() > self.limits.format_width as u64 {
            return Err(Spent::Width(w));
        }
        Ok(())
    }

    pub fn range(&self, n: i64) -> Result<(), Spent> {
        if n > 0 && n as u64 > self.limits.range {
            return Err(Spent::Range(n));
        }
        Ok(())
    }

    pub fn message(&self, s: &Spent) -> String {
        let l = &self.limits;
        match s {
            Spent::Steps => format!(
                "template exceeded its budget of {} evaluation steps",
                l.steps
            ),
            Spent::Time => format!(
                "template exceeded its budget of {} s of evaluation time",
                l.time.as_secs_f64()
            ),
            Spent::Len(n) => format!(
                "a string, array, hash or output of {n} bytes or elements exceeds the budget of {}",
                l.max_len
            ),
            Spent::Alloc => format!(
                "template allocated more than its budget of {} bytes and elements",
                l.total_alloc
            ),
            Spent::Width(w) => format!("format width {w} exceeds the budget of {}", l.format_width),
            Spent::Range(n) => format!(
                "materialising {n} elements exceeds the budget of {}",
                l.range
            ),
        }
    }
}
