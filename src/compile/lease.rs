//! Leases on cache keys in the shared bucket, so machines that run the same
//! `compile-release --cooperate` split the work instead of each compiling everything. The
//! bucket is the only coordinator: a lease is the object `<key>.lease`, taken by a
//! conditional create (`If-None-Match: *`), renewed and taken over by a conditional update
//! on its ETag (`If-Match`), so of two machines racing for a key exactly one wins. A lease
//! holds its owner and its expiry; a machine that dies stops renewing, and once the expiry
//! has passed another machine replaces the lease and compiles the package itself.
//!
//! Expiry compares the writer's clock with the reader's: machines' clocks must agree to
//! well within the lease time (NTP does).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use object_store::path::Path as ObjectPath;
use object_store::{
    ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, PutResult, UpdateVersion,
};
use serde::{Deserialize, Serialize};

use crate::provider::runtime;

#[derive(Debug, thiserror::Error)]
pub enum LeaseError {
    #[error("lease {path} in {shown}: {source}; check that the bucket accepts conditional writes (If-None-Match, If-Match) and that the credentials may write and delete")]
    Store {
        path: String,
        shown: String,
        #[source]
        source: object_store::Error,
    },
}

/// Who holds a lease: enough for a person to find the machine and process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub host: String,
    pub pid: u32,
    /// Tells apart two runs that reuse a pid (containers, reboots).
    pub run: String,
}

impl Owner {
    pub fn this_process() -> Owner {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "unknown-host".into());
        Owner {
            host,
            pid: std::process::id(),
            run: uuid::Uuid::new_v4().to_string(),
        }
    }
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} pid {} ({})", self.host, self.pid, self.run)
    }
}

/// The lease object's contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Body {
    owner: Owner,
    /// Milliseconds since the Unix epoch.
    started: u64,
    expires: u64,
}

/// A lease this process holds.
#[derive(Debug)]
pub struct Lease {
    key: String,
    version: UpdateVersion,
    started: u64,
    /// The owner whose expired lease this one replaced.
    pub took_over: Option<Owner>,
}

/// Another process's live lease.
#[derive(Debug, Clone)]
pub struct Held {
    pub owner: Owner,
    /// Time left before it may be taken over.
    pub expires_in: Duration,
}

#[derive(Debug)]
pub enum Claim {
    Won(Lease),
    Held(Held),
}

pub struct Leases {
    store: Arc<dyn ObjectStore>,
    prefix: Option<String>,
    shown: String,
    owner: Owner,
    ttl: Duration,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn version(r: &PutResult) -> UpdateVersion {
    UpdateVersion {
        e_tag: r.e_tag.clone(),
        version: r.version.clone(),
    }
}

impl Leases {
    pub fn new(
        store: Arc<dyn ObjectStore>,
        prefix: Option<String>,
        shown: &str,
        owner: Owner,
        ttl: Duration,
    ) -> Leases {
        Leases {
            store,
            prefix,
            shown: shown.to_string(),
            owner,
            ttl,
        }
    }

    pub fn owner(&self) -> &Owner {
        &self.owner
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    fn path(&self, key: &str) -> ObjectPath {
        match &self.prefix {
            Some(p) => ObjectPath::from(format!("{p}/{key}.lease")),
            None => ObjectPath::from(format!("{key}.lease")),
        }
    }

    fn err(&self, key: &str, source: object_store::Error) -> LeaseError {
        LeaseError::Store {
            path: self.path(key).to_string(),
            shown: self.shown.clone(),
            source,
        }
    }

    fn body(&self, started: u64) -> PutPayload {
        let b = Body {
            owner: self.owner.clone(),
            started,
            expires: now_ms() + self.ttl.as_millis() as u64,
        };
        PutPayload::from(serde_json::to_vec(&b).expect("a lease serializes"))
    }

    async fn put(
        &self,
        key: &str,
        started: u64,
        mode: PutMode,
    ) -> Result<PutResult, object_store::Error> {
        self.store
            .put_opts(
                &self.path(key),
                self.body(started),
                PutOptions {
                    mode,
                    ..Default::default()
                },
            )
            .await
    }

    /// Takes the lease on `key`, or replaces an expired one, or says who holds it.
    pub fn claim(&self, key: &str) -> Result<Claim, LeaseError> {
        runtime().block_on(async {
            // A lease released between our create and our read: try again (bounded, since
            // each round means another process finished with the key meanwhile).
            for _ in 0..8 {
                let started = now_ms();
                match self.put(key, started, PutMode::Create).await {
                    Ok(r) => {
                        return Ok(Claim::Won(Lease {
                            key: key.to_string(),
                            version: version(&r),
                            started,
                            took_over: None,
                        }))
                    }
                    Err(object_store::Error::AlreadyExists { .. })
                    | Err(object_store::Error::Precondition { .. }) => {}
                    Err(e) => return Err(self.err(key, e)),
                }
                let got = match self.store.get(&self.path(key)).await {
                    Ok(g) => g,
                    Err(object_store::Error::NotFound { .. }) => continue,
                    Err(e) => return Err(self.err(key, e)),
                };
                let current = UpdateVersion {
                    e_tag: got.meta.e_tag.clone(),
                    version: got.meta.version.clone(),
                };
                let bytes = got.bytes().await.map_err(|e| self.err(key, e))?;
                // An unreadable lease (a writer from elsewhere, a torn object) counts as
                // expired: it can only be replaced conditionally, so nothing is lost.
                let body: Option<Body> = serde_json::from_slice(&bytes).ok();
                let now = now_ms();
                if let Some(b) = body.as_ref().filter(|b| b.expires > now) {
                    return Ok(Claim::Held(Held {
                        owner: b.owner.clone(),
                        expires_in: Duration::from_millis(b.expires - now),
                    }));
                }
                match self.put(key, now, PutMode::Update(current)).await {
                    Ok(r) => {
                        return Ok(Claim::Won(Lease {
                            key: key.to_string(),
                            version: version(&r),
                            started: now,
                            took_over: body.map(|b| b.owner),
                        }))
                    }
                    // Another machine replaced it first, or it was released: look again.
                    Err(object_store::Error::Precondition { .. })
                    | Err(object_store::Error::NotFound { .. })
                    | Err(object_store::Error::AlreadyExists { .. }) => continue,
                    Err(e) => return Err(self.err(key, e)),
                }
            }
            // Still contended: treat it as held for now; the caller asks again later.
            Ok(Claim::Held(Held {
                owner: self.owner.clone(),
                expires_in: Duration::ZERO,
            }))
        })
    }

    /// Pushes the expiry out by another lease time. `Ok(false)`: the lease is no longer
    /// ours (it expired and another machine took it over).
    pub fn renew(&self, lease: &mut Lease) -> Result<bool, LeaseError> {
        let r = runtime().block_on(self.put(
            &lease.key,
            lease.started,
            PutMode::Update(lease.version.clone()),
        ));
        match r {
            Ok(r) => {
                lease.version = version(&r);
                Ok(true)
            }
            Err(object_store::Error::Precondition { .. })
            | Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(self.err(&lease.key, e)),
        }
    }

    /// Gives the lease up: after the result is in the cache, or after a failure (so another
    /// machine may try). A lease that was taken over is left to its new owner.
    pub fn release(&self, lease: Lease) -> Result<(), LeaseError> {
        let path = self.path(&lease.key);
        runtime().block_on(async {
            match self.store.head(&path).await {
                Ok(m) if m.e_tag == lease.version.e_tag && m.version == lease.version.version => {}
                Ok(_) | Err(object_store::Error::NotFound { .. }) => return Ok(()),
                Err(e) => return Err(self.err(&lease.key, e)),
            }
            match self.store.delete(&path).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(self.err(&lease.key, e)),
            }
        })
    }
}

impl Leases {
    /// Runs `f` while renewing `lease` every third of the lease time; then releases it.
    /// Returns `f`'s result and whether the lease was lost meanwhile (renewal came too late
    /// and another machine took the key over). A failed renewal is reported and retried.
    pub fn hold_while<R>(
        &self,
        lease: Lease,
        warn: &(dyn Fn(&str) + Sync),
        f: impl FnOnce() -> R,
    ) -> (R, bool) {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let every = self.ttl / 3;
        std::thread::scope(|s| {
            let renewer = s.spawn(move || {
                let mut lease = lease;
                let mut lost = false;
                loop {
                    match stopped.recv_timeout(every) {
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) if !lost => {
                            match self.renew(&mut lease) {
                                Ok(true) => {}
                                Ok(false) => {
                                    lost = true;
                                    warn(&format!(
                                        "the lease on {} expired before it was renewed and another machine took it over; it may compile the package too",
                                        lease.key
                                    ));
                                }
                                Err(e) => warn(&e.to_string()),
                            }
                        }
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                        _ => break,
                    }
                }
                (lease, lost)
            });
            let r = f();
            drop(stop);
            let (lease, lost) = renewer.join().expect("the lease renewer does not panic");
            if let Err(e) = self.release(lease) {
                warn(&e.to_string());
            }
            (r, lost)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::memory::InMemory;

    fn leases(store: &Arc<dyn ObjectStore>, ttl_ms: u64) -> Leases {
        Leases::new(
            store.clone(),
            Some("ci".into()),
            "memory://",
            Owner::this_process(),
            Duration::from_millis(ttl_ms),
        )
    }

    #[test]
    fn one_of_many_claimants_wins_and_the_others_see_who() {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        let all: Vec<Leases> = (0..8).map(|_| leases(&store, 60_000)).collect();
        let claims: Vec<Claim> = std::thread::scope(|s| {
            let hs: Vec<_> = all.iter().map(|l| s.spawn(|| l.claim("k"))).collect();
            hs.into_iter().map(|h| h.join().unwrap().unwrap()).collect()
        });
        let won: Vec<usize> = (0..8)
            .filter(|&i| matches!(claims[i], Claim::Won(_)))
            .collect();
        assert_eq!(won.len(), 1, "{claims:?}");
        for c in &claims {
            if let Claim::Held(h) = c {
                assert_eq!(h.owner, all[won[0]].owner);
                assert!(h.expires_in > Duration::from_secs(50));
            }
        }
        // Other keys are independent.
        assert!(matches!(all[0].claim("other").unwrap(), Claim::Won(_)));
    }

    #[test]
    fn an_expired_lease_is_taken_over_by_exactly_one_and_the_old_owner_learns_it() {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        let dead = leases(&store, 50);
        let Claim::Won(mut old) = dead.claim("k").unwrap() else {
            panic!("first claim wins")
        };
        assert!(dead.renew(&mut old).unwrap(), "renewing a live lease works");
        std::thread::sleep(Duration::from_millis(80));
        let takers: Vec<Leases> = (0..6).map(|_| leases(&store, 60_000)).collect();
        let claims: Vec<Claim> = std::thread::scope(|s| {
            let hs: Vec<_> = takers.iter().map(|l| s.spawn(|| l.claim("k"))).collect();
            hs.into_iter().map(|h| h.join().unwrap().unwrap()).collect()
        });
        let winners: Vec<&Lease> = claims
            .iter()
            .filter_map(|c| match c {
                Claim::Won(l) => Some(l),
                Claim::Held(_) => None,
            })
            .collect();
        assert_eq!(winners.len(), 1, "{claims:?}");
        assert_eq!(winners[0].took_over.as_ref(), Some(dead.owner()));
        assert!(
            !dead.renew(&mut old).unwrap(),
            "the old owner cannot renew a lease taken over"
        );
        // Its release leaves the new owner's lease alone.
        dead.release(old).unwrap();
        assert!(matches!(dead.claim("k").unwrap(), Claim::Held(_)));
    }

    #[test]
    fn a_released_lease_can_be_claimed_again_and_renewal_extends_it() {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        // Renewed every 400 ms, a 1 s lease outlives its first expiry; the slack leaves room
        // for a loaded machine's scheduling delays.
        let a = leases(&store, 1000);
        let b = leases(&store, 1000);
        let Claim::Won(mut l) = a.claim("k").unwrap() else {
            panic!()
        };
        for _ in 0..4 {
            std::thread::sleep(Duration::from_millis(400));
            assert!(a.renew(&mut l).unwrap());
            assert!(
                matches!(b.claim("k").unwrap(), Claim::Held(_)),
                "renewed past its first expiry"
            );
        }
        a.release(l).unwrap();
        let Claim::Won(l) = b.claim("k").unwrap() else {
            panic!("free after release")
        };
        assert!(l.took_over.is_none());
    }

    #[test]
    fn a_lease_is_renewed_while_the_work_runs_and_released_after() {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        // Renewed every 400 ms during 2.4 s of work.
        let a = leases(&store, 1200);
        let b = leases(&store, 1200);
        let Claim::Won(l) = a.claim("k").unwrap() else {
            panic!()
        };
        let ((), lost) = a.hold_while(l, &|w| panic!("{w}"), || {
            for _ in 0..6 {
                std::thread::sleep(Duration::from_millis(400));
                assert!(matches!(b.claim("k").unwrap(), Claim::Held(_)));
            }
        });
        assert!(!lost);
        assert!(matches!(b.claim("k").unwrap(), Claim::Won(_)));
    }

    #[test]
    fn an_unreadable_lease_counts_as_expired() {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        runtime()
            .block_on(store.put(&ObjectPath::from("ci/k.lease"), PutPayload::from("{")))
            .unwrap();
        assert!(matches!(
            leases(&store, 1000).claim("k").unwrap(),
            Claim::Won(_)
        ));
    }
}
