//! A bounded GET load against a blobstore object: CLIENTS concurrent connections, each
//! downloading the object in a loop for DURATION seconds, every body read to the end and its length
//! checked. Prints requests, throughput, latency percentiles and errors.
//!
//! usage: URL=http://127.0.0.1:25250/XX/id [AUTH=user:pass] [CLIENTS=16] [DURATION=10] \
//!        cargo bench --bench get_load

use std::time::{Duration, Instant};

use futures::StreamExt;

fn env(k: &str, default: &str) -> String {
    std::env::var(k).unwrap_or_else(|_| default.to_string())
}

fn main() {
    let url = std::env::var("URL").expect("URL=<object URL> is required");
    let auth = std::env::var("AUTH").ok();
    let clients: usize = env("CLIENTS", "16").parse().expect("CLIENTS is a number");
    let secs: u64 = env("DURATION", "10").parse().expect("DURATION is seconds");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let client = reqwest::Client::new();
        let head = {
            let mut r = client.head(&url);
            if let Some((u, p)) = auth.as_deref().and_then(|a| a.split_once(':')) {
                r = r.basic_auth(u, Some(p));
            }
            r.send().await.expect("HEAD the object")
        };
        let size: u64 = head
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("the object has a Content-Length");
        let deadline = Instant::now() + Duration::from_secs(secs);
        let start = Instant::now();
        let tasks: Vec<_> = (0..clients)
            .map(|_| {
                let (client, url, auth) = (client.clone(), url.clone(), auth.clone());
                tokio::spawn(async move {
                    let (mut ok, mut errors, mut bytes, mut lat) = (0u64, 0u64, 0u64, Vec::new());
                    while Instant::now() < deadline {
                        let t = Instant::now();
                        let mut r = client.get(&url);
                        if let Some((u, p)) = auth.as_deref().and_then(|a| a.split_once(':')) {
                            r = r.basic_auth(u, Some(p));
                        }
                        let mut got = 0u64;
                        let good = match r.send().await {
                            Ok(resp) if resp.status().is_success() => {
                                let mut s = resp.bytes_stream();
                                let mut fine = true;
                                while let Some(c) = s.next().await {
                                    match c {
                                        Ok(c) => got += c.len() as u64,
                                        Err(_) => {
                                            fine = false;
                                            break;
                                        }
                                    }
                                }
                                fine && got == size
                            }
                            _ => false,
                        };
                        bytes += got;
                        if good {
                            ok += 1;
                            lat.push(t.elapsed());
                        } else {
                            errors += 1;
                        }
                    }
                    (ok, errors, bytes, lat)
                })
            })
            .collect();
        let (mut ok, mut errors, mut bytes, mut lat) = (0, 0, 0, Vec::new());
        for t in tasks {
            let (o, e, b, l) = t.await.unwrap();
            ok += o;
            errors += e;
            bytes += b;
            lat.extend(l);
        }
        let elapsed = start.elapsed().as_secs_f64();
        lat.sort();
        let pct = |p: f64| {
            lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
                .map(|d| d.as_secs_f64() * 1000.0)
                .unwrap_or(0.0)
        };
        println!(
            "{clients} clients, {secs} s, object {size} bytes: {ok} GETs ({:.1}/s), {:.1} MiB/s, latency p50 {:.1} ms p99 {:.1} ms, errors {errors}",
            ok as f64 / elapsed,
            bytes as f64 / elapsed / (1 << 20) as f64,
            pct(0.5),
            pct(0.99)
        );
    });
}
