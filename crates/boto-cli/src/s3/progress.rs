//! Progress on a terminal: a bar per large transfer in flight and a total line (bytes, rate,
//! ETA), redrawn on stderr a few times a second below the printed results. Not on a terminal,
//! or with `--no-progress`, `--quiet` or `--only-show-errors`, nothing is drawn and nothing is
//! counted beyond two atomics. Drawn by hand with ANSI cursor moves: the whole job is ~100
//! lines, less than indicatif and its dependencies would add to the binary.

use super::units::human_size;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Transfers smaller than this get no bar of their own (only the total counts them).
const BAR_MIN: u64 = 1 << 20;
/// At most this many bars at once.
const MAX_BARS: usize = 4;
const WIDTH: usize = 24;

/// The output of one command: result lines on stdout, warnings on stderr, the progress drawing
/// kept below them.
#[derive(Debug)]
pub struct Console {
    drawing: bool,
    drawn: Mutex<usize>,
    /// Bytes moved so far, by every transfer.
    pub done: AtomicU64,
    /// Bytes of every transfer queued so far.
    pub total: AtomicU64,
    /// Transfers queued and not yet finished.
    pub remaining: AtomicU64,
    /// Whether the listing has ended (the total is then final, not an estimate).
    pub listed: AtomicBool,
    bars: Mutex<Vec<Arc<Bar>>>,
    start: Instant,
}

/// One transfer's bar.
#[derive(Debug)]
pub struct Bar {
    name: String,
    size: u64,
    done: AtomicU64,
}

impl Bar {
    /// Counts `n` more bytes of this transfer.
    pub fn add(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
}

impl Console {
    /// A console; it draws progress when `progress` and stderr is a terminal.
    pub fn new(progress: bool) -> Arc<Console> {
        Arc::new(Console {
            drawing: progress && std::io::stderr().is_terminal(),
            drawn: Mutex::new(0),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            remaining: AtomicU64::new(0),
            listed: AtomicBool::new(false),
            bars: Mutex::new(Vec::new()),
            start: Instant::now(),
        })
    }

    /// Prints a result line on stdout (above the drawing).
    pub fn out(&self, line: &str) {
        let mut drawn = self.drawn.lock().unwrap_or_else(|p| p.into_inner());
        self.erase(&mut drawn);
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        if self.drawing {
            let _ = out.flush();
        }
    }

    /// Prints a warning or failure on stderr (above the drawing).
    pub fn err(&self, line: &str) {
        let mut drawn = self.drawn.lock().unwrap_or_else(|p| p.into_inner());
        self.erase(&mut drawn);
        eprintln!("{line}");
    }

    /// A bar for a transfer of `size` bytes named `name` (`None` when it gets none).
    pub fn bar(&self, name: &str, size: u64) -> Option<Arc<Bar>> {
        if !self.drawing || size < BAR_MIN {
            return None;
        }
        let bar = Arc::new(Bar {
            name: name.to_string(),
            size,
            done: AtomicU64::new(0),
        });
        self.bars
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(bar.clone());
        Some(bar)
    }

    /// Removes a finished transfer's bar.
    pub fn finish(&self, bar: &Option<Arc<Bar>>) {
        if let Some(bar) = bar {
            self.bars
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .retain(|b| !Arc::ptr_eq(b, bar));
        }
    }

    /// Redraws the bars and the total line.
    pub fn draw(&self) {
        if !self.drawing {
            return;
        }
        let mut lines = Vec::new();
        for b in self
            .bars
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .take(MAX_BARS)
        {
            let done = b.done.load(Ordering::Relaxed).min(b.size);
            lines.push(format!(
                "{} {} {}/{}",
                bar(done, b.size),
                b.name,
                human_size(done),
                human_size(b.size)
            ));
        }
        let done = self.done.load(Ordering::Relaxed);
        let total = self.total.load(Ordering::Relaxed).max(done);
        let listed = self.listed.load(Ordering::Relaxed);
        let secs = self.start.elapsed().as_secs_f64().max(0.001);
        let rate = done as f64 / secs;
        let eta = if listed && rate > 0.0 {
            let left = (total - done) as f64 / rate;
            format!(", ETA {}:{:02}", left as u64 / 60, left as u64 % 60)
        } else {
            String::new()
        };
        lines.push(format!(
            "{} Completed {}/{}{} ({}/s) with {} file(s) remaining{eta}",
            bar(done, total),
            human_size(done),
            if listed { "" } else { "~" },
            human_size(total),
            human_size(rate as u64),
            self.remaining.load(Ordering::Relaxed),
        ));
        let mut drawn = self.drawn.lock().unwrap_or_else(|p| p.into_inner());
        self.erase(&mut drawn);
        let mut err = std::io::stderr().lock();
        for l in &lines {
            let _ = writeln!(err, "{l}");
        }
        let _ = err.flush();
        *drawn = lines.len();
    }

    /// Removes the drawing (before printing, and at the end).
    pub fn clear(&self) {
        let mut drawn = self.drawn.lock().unwrap_or_else(|p| p.into_inner());
        self.erase(&mut drawn);
    }

    fn erase(&self, drawn: &mut usize) {
        if *drawn > 0 {
            // Up to the first drawn line, then clear to the end of the screen.
            eprint!("\x1b[{}A\x1b[J", *drawn);
            *drawn = 0;
        }
    }

    /// Redraws every 200 ms until the returned handle is dropped or aborted.
    pub fn spawn_ticker(self: &Arc<Self>) -> Option<tokio::task::JoinHandle<()>> {
        if !self.drawing {
            return None;
        }
        let me = self.clone();
        Some(tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                me.draw();
            }
        }))
    }
}

fn bar(done: u64, total: u64) -> String {
    let filled = if total == 0 {
        WIDTH
    } else {
        ((done as f64 / total as f64) * WIDTH as f64) as usize
    }
    .min(WIDTH);
    format!("[{}{}]", "#".repeat(filled), "-".repeat(WIDTH - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_proportion() {
        assert_eq!(bar(0, 100), format!("[{}]", "-".repeat(WIDTH)));
        assert_eq!(bar(50, 100).matches('#').count(), WIDTH / 2);
        assert_eq!(bar(100, 100).matches('#').count(), WIDTH);
        assert_eq!(bar(0, 0).matches('#').count(), WIDTH);
    }
}
