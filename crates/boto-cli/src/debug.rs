//! `--debug`: the engine's tracing spans and events on stderr, and the CLI's own view of the
//! call (operation, endpoint, input with the model's `sensitive` members redacted).
//!
//! A small subscriber of its own rather than `tracing-subscriber`: the CLI needs one plain
//! line per span and event, and the engine already depends on `tracing`.

use boto::core::model::{ServiceModel, ShapeId, ShapeType};
use boto::Document;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// Prints every debug-level span and event to stderr, timed from start-up.
struct Stderr {
    start: Instant,
    /// Span names, by id - 1.
    spans: Mutex<Vec<String>>,
}

/// Installs the stderr subscriber for the whole process.
pub fn install() {
    let subscriber = Stderr {
        start: Instant::now(),
        spans: Mutex::new(Vec::new()),
    };
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Writes one `--debug` line from the CLI itself.
pub fn line(text: &str) {
    eprintln!("boto [debug] cli: {text}");
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

impl Subscriber for Stderr {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() <= Level::DEBUG
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(String::new());
        span.record(&mut fields);
        let mut spans = self.spans.lock().unwrap_or_else(|e| e.into_inner());
        spans.push(span.metadata().name().to_string());
        eprintln!(
            "boto [debug] {:>8.3}s span {}{}",
            self.start.elapsed().as_secs_f64(),
            span.metadata().name(),
            fields.0
        );
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        eprintln!(
            "boto [debug] {:>8.3}s {} {}:{}",
            self.start.elapsed().as_secs_f64(),
            event.metadata().level(),
            event.metadata().target(),
            fields.0
        );
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// `doc` with the values of `sensitive` shapes replaced by `*** sensitive ***`, for logging.
pub fn redacted(model: &ServiceModel, shape: Option<ShapeId>, doc: &Document) -> Document {
    let Some(id) = shape else {
        return doc.clone();
    };
    let s = model.shape(id);
    if s.sensitive {
        return Document::String("*** sensitive ***".into());
    }
    match (s.shape_type, doc) {
        (ShapeType::Structure, Document::Map(map)) => {
            let mut out = Document::map();
            for (k, v) in map {
                let target = s.member_named(k).map(|m| m.target);
                out.set(k.clone(), redacted(model, target, v));
            }
            out
        }
        (ShapeType::List, Document::List(items)) => Document::List(
            items
                .iter()
                .map(|v| redacted(model, s.member.as_ref().map(|m| m.target), v))
                .collect(),
        ),
        (ShapeType::Map, Document::Map(map)) => {
            let mut out = Document::map();
            for (k, v) in map {
                out.set(
                    k.clone(),
                    redacted(model, s.value.as_ref().map(|m| m.target), v),
                );
            }
            out
        }
        _ => doc.clone(),
    }
}
