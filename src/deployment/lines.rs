//! Where each entry of a manifest is written: one pass over the YAML event stream
//! recording, for every map key and list item, its path (`instance_groups/0/jobs/1/name`)
//! and its 1-based line. Aliases are not followed (an aliased value has the alias's line).

use std::collections::HashMap;

use granit_parser::{Event, Parser};

enum Frame {
    Seq { path: String, next: usize },
    Map { path: String, key: Option<String> },
}

/// Lines by slash-separated path; the root is "".
#[derive(Debug, Default)]
pub struct Lines(HashMap<String, u32>);

fn join(base: &str, seg: &str) -> String {
    if base.is_empty() {
        seg.to_string()
    } else {
        format!("{base}/{seg}")
    }
}

impl Lines {
    /// Reads the first document; a syntax error ends the map where it happens (the manifest
    /// was already read without error by the loader, so that does not occur in practice).
    pub fn of(text: &str) -> Lines {
        let mut out = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        for ev in Parser::new_from_str(text) {
            let Ok((ev, span)) = ev else { break };
            let line = span.start.line() as u32;
            // the path a node starting here gets (None for a key)
            let here: Option<String> = match stack.last_mut() {
                None => Some(String::new()),
                Some(Frame::Seq { path, next }) => {
                    let p = join(path, &next.to_string());
                    *next += 1;
                    Some(p)
                }
                Some(Frame::Map { key: Some(k), path }) => {
                    let p = join(path, k);
                    Some(p)
                }
                Some(Frame::Map { key: None, .. }) => None,
            };
            let finish_value = |stack: &mut Vec<Frame>| {
                if let Some(Frame::Map { key, .. }) = stack.last_mut() {
                    *key = None;
                }
            };
            match ev {
                Event::Scalar(s, ..) => match here {
                    Some(p) => {
                        out.entry(p).or_insert(line);
                        finish_value(&mut stack);
                    }
                    None => {
                        if let Some(Frame::Map { key, path }) = stack.last_mut() {
                            out.entry(join(path, &s)).or_insert(line);
                            *key = Some(s.to_string());
                        }
                    }
                },
                Event::Alias(_) => {
                    if let Some(p) = here {
                        out.entry(p).or_insert(line);
                    } else if let Some(Frame::Map { key, .. }) = stack.last_mut() {
                        *key = Some(String::from("<alias>"));
                        continue;
                    }
                    finish_value(&mut stack);
                }
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    let p = here.unwrap_or_else(|| "<complex key>".into());
                    out.entry(p.clone()).or_insert(line);
                    stack.push(if matches!(ev, Event::SequenceStart(..)) {
                        Frame::Seq { path: p, next: 0 }
                    } else {
                        Frame::Map { path: p, key: None }
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                    finish_value(&mut stack);
                }
                Event::DocumentEnd => break,
                _ => {}
            }
        }
        Lines(out)
    }

    /// The line of `path`, else of its nearest written ancestor.
    pub fn line(&self, path: &str) -> u32 {
        let mut p = path;
        loop {
            if let Some(l) = self.0.get(p) {
                return *l;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return self.0.get("").copied().unwrap_or(1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_items_have_their_lines() {
        let l = Lines::of(
            "name: d\ninstance_groups:\n- name: web\n  jobs:\n  - name: a\n    properties:\n      port: 1\n      tls: {cert: x}\n",
        );
        assert_eq!(l.line("name"), 1);
        assert_eq!(l.line("instance_groups/0"), 3);
        assert_eq!(l.line("instance_groups/0/jobs/0/properties/port"), 7);
        assert_eq!(l.line("instance_groups/0/jobs/0/properties/tls/cert"), 8);
        assert_eq!(l.line("instance_groups/0/jobs/0/properties/nope"), 6);
    }
}
